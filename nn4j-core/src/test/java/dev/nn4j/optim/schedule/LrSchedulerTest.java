package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LrSchedulerTest {

    @Test
    void stepLRMatchesPyTorch() {
        ScheduleGolden.assertMatches("step", new StepLR(ScheduleGolden.sgd(), 7, 0.5));
    }

    @Test
    void multiStepLRWithARepeatedMilestoneMatchesPyTorch() {
        ScheduleGolden.assertMatches("multistep", new MultiStepLR(ScheduleGolden.sgd(), new int[] {5, 12, 12, 30}, 0.3));
    }

    @Test
    void exponentialLRMatchesPyTorch() {
        ScheduleGolden.assertMatches("exponential", new ExponentialLR(ScheduleGolden.sgd(), 0.9));
    }

    @Test
    void cosineAnnealingWithEtaMinMatchesPyTorchAcrossFourHalfPeriods() {
        ScheduleGolden.assertMatches("cosine_eta_min", new CosineAnnealingLR(ScheduleGolden.sgd(), 10, 0.001));
    }

    @Test
    void cosineAnnealingToZeroMatchesPyTorch() {
        ScheduleGolden.assertMatches("cosine", new CosineAnnealingLR(ScheduleGolden.sgd(), 15));
    }

    @Test
    void linearWarmUpMatchesPyTorch() {
        ScheduleGolden.assertMatches("linear_warmup", new LinearLR(ScheduleGolden.sgd(), 0.1, 1.0, 8));
    }

    @Test
    void linearDecayMatchesPyTorch() {
        ScheduleGolden.assertMatches("linear_decay", new LinearLR(ScheduleGolden.sgd(), 1.0, 0.2, 10));
    }

    @Test
    void buildingAScheduleRecordsInitialLr() {
        Sgd opt = ScheduleGolden.sgd();
        new LinearLR(opt, 0.5, 1, 4);
        assertEquals((float) 0.1, (float) opt.paramGroups().get(0).get("initial_lr"));
        assertEquals((float) 0.05, (float) opt.lr(0));
        assertTrue(opt.stateDict().containsKey("param_groups.1.initial_lr"));
    }

    /** Resuming runs optimizer + schedule 12 steps, saves both, rebuilds both, loads, continues 13: all as 25 straight. */
    private static void assertResumesExactly(Function<Sgd, LrScheduler> make) {
        Sgd a = ScheduleGolden.sgd();
        LrScheduler sa = make.apply(a);
        for (int i = 0; i < 25; i++) sa.step();

        Sgd b = ScheduleGolden.sgd();
        LrScheduler sb = make.apply(b);
        for (int i = 0; i < 12; i++) sb.step();
        Map<String, Tensor> optState = b.stateDict(), schedState = sb.stateDict();

        Sgd c = ScheduleGolden.sgd();
        LrScheduler sc = make.apply(c);
        c.loadStateDict(optState);
        sc.loadStateDict(schedState);
        assertEquals(12, sc.lastEpoch());
        for (int i = 0; i < 13; i++) sc.step();
        assertArrayEquals(sa.lastLr(), sc.lastLr());
        assertEquals(sa.lastEpoch(), sc.lastEpoch());
    }

    @Test
    void schedulesResumeExactlyFromStateDicts() {
        assertResumesExactly(o -> new CosineAnnealingLR(o, 10, 0.001));
        assertResumesExactly(o -> new LinearLR(o, 0.1, 1.0, 20));
        assertResumesExactly(o -> new StepLR(o, 5, 0.7));
        assertResumesExactly(o -> new OneCycleLR(o, 0.5, 30));
    }

    @Test
    void loadingChecksKeysAndShapes() {
        StepLR s = new StepLR(ScheduleGolden.sgd(), 3);
        Map<String, Tensor> d = new LinkedHashMap<>(s.stateDict());
        d.put("base_lrs", Tensor.of(0.1f));
        var e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(d));
        assertTrue(e.getMessage().contains("StepLR.loadStateDict: 'base_lrs' must have shape [2] (one entry per param group) but has shape [1]"), e.getMessage());
        Map<String, Tensor> d2 = new LinkedHashMap<>(s.stateDict());
        d2.put("gamma", Tensor.scalar(0.5f));
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(d2));
        assertTrue(e.getMessage().contains("unexpected key 'gamma'"), e.getMessage());
        Map<String, Tensor> d3 = new LinkedHashMap<>(s.stateDict());
        d3.remove("last_epoch");
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(d3));
        assertTrue(e.getMessage().contains("missing key 'last_epoch'"), e.getMessage());
    }

    @Test
    void rejectsInvalidArgumentsWithClearMessages() {
        Sgd o = ScheduleGolden.sgd();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StepLR(o, 0)).getMessage().contains("StepLR: stepSize must be >= 1 but was 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(o, -0.5)).getMessage().contains("gamma must be finite and >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(o, new int[] {3, -1})).getMessage().contains("milestones must be >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(o, 0)).getMessage().contains("tMax must be >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(o, 5, -1)).getMessage().contains("etaMin must be finite and >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LinearLR(o, 0, 1, 5)).getMessage().contains("startFactor must be in (0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LinearLR(o, 0.5, 1.5, 5)).getMessage().contains("endFactor must be in [0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LinearLR(o, 0.5, 1, 0)).getMessage().contains("totalIters must be >= 1"));
        assertEquals((float) 0.1, (float) o.lr(0), "failed constructions leave the optimizer alone");
    }
}
