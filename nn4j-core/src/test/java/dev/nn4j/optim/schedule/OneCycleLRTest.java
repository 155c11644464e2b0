package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Adagrad;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneCycleLRTest {

    @Test
    void cosineAnnealingWithSgdMomentumCyclingMatchesPyTorch() {
        Sgd opt = ScheduleGolden.sgd();
        OneCycleLR s = new OneCycleLR(opt, 0.5, 40);
        ScheduleGolden.assertMatches("onecycle_cos_sgd", opt, s::lastLr, k -> s.step(), "momentum");
    }

    @Test
    void linearThreePhaseWithAdamBeta1CyclingMatchesPyTorch() {
        Adam opt = ScheduleGolden.adam();
        OneCycleLR s = new OneCycleLR(opt, new double[] {0.3, 0.1}, 40, 0.25, OneCycleLR.Anneal.LINEAR, true, 0.8, 0.9, 10, 100, true);
        ScheduleGolden.assertMatches("onecycle_linear_three_phase_adam", opt, s::lastLr, k -> s.step(), "beta1");
    }

    @Test
    void steppingPastTotalStepsFails() {
        OneCycleLR s = new OneCycleLR(ScheduleGolden.sgd(), 0.5, 10);
        for (int i = 0; i < 10; i++) s.step();  // last_epoch 10 = totalSteps is still allowed, as in PyTorch
        var e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("OneCycleLR: tried to step 12 times; the specified number of total steps is 10"), e.getMessage());
    }

    @Test
    void rejectsInvalidArgumentsWithClearMessages() {
        Adagrad noMomentum = new Adagrad(List.of(Tensor.zeros(2).requiresGrad(true)));
        var e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(noMomentum, 0.1, 10));
        assertTrue(e.getMessage().contains("cycleMomentum needs an optimizer with a 'momentum' or 'beta1' option"), e.getMessage());
        new OneCycleLR(noMomentum, 0.1, 10, 0.3, OneCycleLR.Anneal.COS, false, 0.85, 0.95, 25, 1e4, false);
        assertEquals((float) 0.1 / 25, (float) noMomentum.lr(), 1e-9);

        Sgd o = ScheduleGolden.sgd();
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(o, 0.1, 0));
        assertTrue(e.getMessage().contains("totalSteps must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(o, 0.1, 10, 1.5, OneCycleLR.Anneal.COS, true, 0.85, 0.95, 25, 1e4, false));
        assertTrue(e.getMessage().contains("pctStart must be in [0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(o, 0.1, 3, 0.3, OneCycleLR.Anneal.COS, true, 0.85, 0.95, 25, 1e4, false));
        assertTrue(e.getMessage().contains("a phase would be empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(o, new double[] {0.1}, 10, 0.3, OneCycleLR.Anneal.COS, true, 0.85, 0.95, 25, 1e4, false));
        assertTrue(e.getMessage().contains("expected 2 values for maxLr (one per param group), got 1"), e.getMessage());
    }
}
