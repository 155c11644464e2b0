package dev.nn4j.optim.schedule;

import dev.nn4j.Golden;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReduceLROnPlateauTest {

    private static void assertMatches(String name, Sgd opt, ReduceLROnPlateau s) {
        Tensor metrics = Golden.load("optim/schedule_" + name).tensor("metrics");
        ScheduleGolden.assertMatches(name, opt, s::lastLr, k -> s.step(metrics.get(k)), null);
    }

    @Test
    void minModeWithRelativeThresholdCooldownAndMinLrMatchesPyTorch() {
        Sgd opt = ScheduleGolden.sgd();
        assertMatches("plateau_min_rel", opt, new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 0.01,
                ReduceLROnPlateau.ThresholdMode.REL, 1, 0.004, 1e-8));
    }

    @Test
    void maxModeWithAbsoluteThresholdAndPerGroupMinLrMatchesPyTorch() {
        Sgd opt = ScheduleGolden.sgd();
        assertMatches("plateau_max_abs", opt, new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MAX, 0.3, 1, 0.02,
                ReduceLROnPlateau.ThresholdMode.ABS, 0, new double[] {0.01, 0.001}, 1e-8));
    }

    @Test
    void reducesAfterPatienceIsExceeded() {
        // patience 2: the 3rd epoch without improvement triggers lr ← lr·factor
        Sgd opt = ScheduleGolden.sgd();
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 0, ReduceLROnPlateau.ThresholdMode.ABS, 0, 0, 1e-8);
        s.step(1.0);
        s.step(1.0);
        s.step(1.0);
        assertEquals((float) 0.1, (float) opt.lr(0));
        s.step(1.0);
        assertEquals((float) 0.05, (float) opt.lr(0));
        assertEquals(0, s.numBadEpochs());
        assertEquals(1.0, s.best());
    }

    @Test
    void resumesExactlyFromStateDicts() {
        Tensor metrics = Golden.load("optim/schedule_plateau_min_rel").tensor("metrics");
        Sgd a = ScheduleGolden.sgd();
        ReduceLROnPlateau sa = new ReduceLROnPlateau(a, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 0.01, ReduceLROnPlateau.ThresholdMode.REL, 1, 0.004, 1e-8);
        for (int k = 0; k < 40; k++) sa.step(metrics.get(k));

        Sgd b = ScheduleGolden.sgd();
        ReduceLROnPlateau sb = new ReduceLROnPlateau(b, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 0.01, ReduceLROnPlateau.ThresholdMode.REL, 1, 0.004, 1e-8);
        for (int k = 0; k < 17; k++) sb.step(metrics.get(k));
        Sgd c = ScheduleGolden.sgd();
        ReduceLROnPlateau sc = new ReduceLROnPlateau(c, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 0.01, ReduceLROnPlateau.ThresholdMode.REL, 1, 0.004, 1e-8);
        c.loadStateDict(b.stateDict());
        sc.loadStateDict(sb.stateDict());
        for (int k = 17; k < 40; k++) sc.step(metrics.get(k));
        assertArrayEquals(sa.lastLr(), sc.lastLr());
        assertEquals(sa.best(), sc.best());
    }

    @Test
    void rejectsInvalidArgumentsAndStateDicts() {
        Sgd o = ScheduleGolden.sgd();
        var e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 1.0, 10, 1e-4, ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8));
        assertTrue(e.getMessage().contains("factor must be in [0, 1) but was 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.1, -1, 1e-4, ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8));
        assertTrue(e.getMessage().contains("patience must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.1, 1, 1e-4, ReduceLROnPlateau.ThresholdMode.REL, 0, new double[] {0}, 1e-8));
        assertTrue(e.getMessage().contains("expected 2 minLrs (one per param group), got 1"), e.getMessage());
        ReduceLROnPlateau s = new ReduceLROnPlateau(o);
        Map<String, Tensor> d = new LinkedHashMap<>(s.stateDict());
        d.put("best", Tensor.of(1f));
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(d));
        assertTrue(e.getMessage().contains("'best' must be a scalar (rank-0) tensor"), e.getMessage());
    }
}
