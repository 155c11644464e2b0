package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RMSpropTest {

    @Test
    void defaultsMatchPyTorch() {
        Regression.assertMatchesPyTorch("rmsprop_default", r -> new RMSprop(r.params(), 0.01));
    }

    @Test
    void centeredWithMomentumAndWeightDecayMatchesPyTorch() {
        Regression.assertMatchesPyTorch("rmsprop_centered_momentum_wd", r -> new RMSprop(r.params(), 0.005, 0.9, 1e-6, 0.01, 0.8, true));
    }

    @Test
    void momentumMatchesPyTorch() {
        Regression.assertMatchesPyTorch("rmsprop_momentum", r -> new RMSprop(r.params(), 0.01, 0.99, 1e-8, 0, 0.5, false));
    }

    @Test
    void firstStepDividesByTheRootOfTheScaledSquare() {
        // s = (1 − α)g² ⇒ θ ← θ − lr·g/(√(1 − α)·|g| + ε)
        Tensor p = Tensor.of(0f).requiresGrad(true);
        RMSprop opt = new RMSprop(List.of(p), 0.01, 0.99, 0, 0, 0, false);
        p.setGrad(Tensor.of(4f));
        opt.step();
        assertEquals(-0.01 / Math.sqrt(0.01), p.get(0), 1e-6);
    }

    @Test
    void rejectsInvalidHyperparameters() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        var e = assertThrows(IllegalArgumentException.class, () -> new RMSprop(ps, 0.01, -0.9, 1e-8, 0, 0, false));
        assertTrue(e.getMessage().contains("RMSprop: alpha must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RMSprop(ps, 0.01, 0.9, 1e-8, 0, -1, false));
        assertTrue(e.getMessage().contains("momentum must be >= 0"), e.getMessage());
    }

    @Test
    void averagesAndMomentumWhoseGradientStaysZeroBecomeExactlyZeroNeverSubnormal() {
        Tensor p = Tensor.full(0.5f, 37).requiresGrad(true);
        RMSprop opt = new RMSprop(List.of(p), 0.01, 0.5, 1e-8, 0, 0.5, true);   // α = 0.5: square_avg halves each step
        p.setGrad(Tensor.full(1f, 37));
        opt.step();
        p.setGrad(Tensor.zeros(37));
        var state = opt.state(p);
        float[][] arrays = {state.get("square_avg").array(), state.get("grad_avg").array(), state.get("momentum_buffer").array()};
        for (int step = 2; step <= 300; step++) {
            opt.step();
            NoSubnormals.check("step " + step, arrays);
        }
        for (float[] a : arrays) for (float x : a) assertEquals(0f, x);
    }
}
