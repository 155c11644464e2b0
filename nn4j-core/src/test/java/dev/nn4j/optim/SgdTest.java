package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SgdTest {

    @Test
    void plainSgdMatchesPyTorch() {
        Regression.assertMatchesPyTorch("sgd_plain", r -> new Sgd(r.params(), 0.1));
    }

    @Test
    void momentumWithDampeningAndWeightDecayMatchesPyTorch() {
        Regression.assertMatchesPyTorch("sgd_momentum_dampening_wd", r -> new Sgd(r.params(), 0.05, 0.9, 0.1, 0.01, false, false));
    }

    @Test
    void nesterovMatchesPyTorch() {
        Regression.assertMatchesPyTorch("sgd_nesterov", r -> new Sgd(r.params(), 0.05, 0.9, 0, 0.001, true, false));
    }

    @Test
    void maximizeMatchesPyTorch() {
        Regression.assertMatchesPyTorch("sgd_maximize", r -> new Sgd(r.params(), 0.01, 0.5, 0, 0, false, true));
    }

    @Test
    void paramGroupsWithTheirOwnOptionsMatchPyTorch() {
        Regression.assertMatchesPyTorch("sgd_groups",
                r -> new Sgd(r.groups(new ParamGroup(List.of(r.b)).set("lr", 0.01).set("momentum", 0.5)), 0.1, 0.9, 0, 0, false, false));
    }

    @Test
    void firstMomentumStepUsesTheGradientAsBuffer() {
        // b₁ = g (no dampening on the first step), θ₁ = θ₀ − lr·g; b₂ = m·b₁ + (1 − d)·g
        Tensor p = Tensor.of(1f).requiresGrad(true);
        Sgd opt = new Sgd(List.of(p), 0.5, 0.9, 0.5, 0, false, false);
        p.setGrad(Tensor.of(2f));
        opt.step();
        assertEquals(0f, p.get(0));
        assertEquals(2f, opt.state(p).get("momentum_buffer").get(0));
        opt.step();
        assertEquals(0.9f * 2f + 0.5f * 2f, opt.state(p).get("momentum_buffer").get(0), 1e-6);
    }

    @Test
    void rejectsInvalidHyperparametersWithClearMessages() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, -0.1));
        assertTrue(e.getMessage().contains("Sgd: learning rate must be >= 0") && e.getMessage().contains("lr=-0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, -0.5));
        assertTrue(e.getMessage().contains("momentum must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, -1, false, false));
        assertTrue(e.getMessage().contains("weight_decay must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0.9, 0.1, 0, true, false));
        assertTrue(e.getMessage().contains("Nesterov momentum requires momentum > 0 and dampening = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, 0, true, false));
        assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
    }

    @Test
    void aMomentumBufferWhoseGradientStaysZeroBecomesExactlyZeroNeverSubnormal() {
        Tensor p = Tensor.full(0.5f, 37).requiresGrad(true);     // whole vectors and a tail, should the loop be vectorized
        Sgd opt = new Sgd(List.of(p), 0.1, 0.5);
        p.setGrad(Tensor.full(1f, 37));
        opt.step();
        p.setGrad(Tensor.zeros(37));
        float[] buf = opt.state(p).get("momentum_buffer").array();
        for (int step = 2; step <= 300; step++) {
            opt.step();
            NoSubnormals.check("step " + step, buf);
        }
        for (float b : buf) assertEquals(0f, b);                 // 0.5^t falls below 1.18e-38 after 126 steps
    }
}
