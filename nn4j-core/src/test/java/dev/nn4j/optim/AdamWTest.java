package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {

    @Test
    void defaultsMatchPyTorch() {
        Regression.assertMatchesPyTorch("adamw_default", r -> new AdamW(r.params(), 0.01));
    }

    @Test
    void amsgradWithCustomBetasAndDecayMatchesPyTorch() {
        Regression.assertMatchesPyTorch("adamw_amsgrad", r -> new AdamW(r.params(), 0.02, 0.85, 0.995, 1e-8, 0.05, true));
    }

    @Test
    void defaultWeightDecayIsOneHundredth() {
        AdamW opt = new AdamW(List.of(Tensor.zeros(1).requiresGrad(true)));
        assertEquals((float) 1e-2, (float) opt.paramGroups().getFirst().get("weight_decay"));
        assertEquals((float) 1e-3, (float) opt.lr());
    }

    @Test
    void decayIsDecoupledFromTheMoments() {
        // g = 0 ⇒ m = v = 0 and the Adam term is 0/(0 + ε) = 0, so only θ ← θ(1 − lr·λ) remains
        Tensor p = Tensor.of(2f).requiresGrad(true);
        AdamW opt = new AdamW(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.5, false);
        p.setGrad(Tensor.of(0f));
        opt.step();
        assertEquals(2f * (float) (1 - 0.1 * 0.5), p.get(0));
    }

    @Test
    void rejectsInvalidHyperparameters() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(Tensor.zeros(2).requiresGrad(true)), 1e-3, 0.9, 1.5, 1e-8, 0.01, false));
        assertTrue(e.getMessage().contains("AdamW: beta2 must be in [0, 1)"), e.getMessage());
    }
}
