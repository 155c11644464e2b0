package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamTest {

    @Test
    void defaultsMatchPyTorch() {
        Regression.assertMatchesPyTorch("adam_default", r -> new Adam(r.params(), 0.01));
    }

    @Test
    void weightDecayAmsgradAndCustomBetasMatchPyTorch() {
        Regression.assertMatchesPyTorch("adam_wd_amsgrad", r -> new Adam(r.params(), 0.02, 0.8, 0.99, 1e-6, 0.1, true));
    }

    @Test
    void paramGroupsWithTheirOwnBetasMatchPyTorch() {
        Regression.assertMatchesPyTorch("adam_groups",
                r -> new Adam(r.groups(new ParamGroup(List.of(r.b)).set("lr", 0.05).set("beta1", 0.5).set("beta2", 0.9)), 0.01, 0.9, 0.999, 1e-8, 0, false));
    }

    @Test
    void firstStepMovesEachEntryByAboutLr() {
        // t = 1: m/(1−β₁) = g and √(v/(1−β₂)) = |g|, so θ ← θ − lr·g/(|g| + ε) ≈ θ − lr·sign(g)
        Tensor p = Tensor.of(1f, 1f).requiresGrad(true);
        Adam opt = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(3f, -0.5f));
        opt.step();
        assertEquals(0.9f, p.get(0), 1e-6);
        assertEquals(1.1f, p.get(1), 1e-6);
        assertEquals(1f, opt.state(p).get("step").item());
        assertEquals(0, opt.state(p).get("step").dim());
    }

    @Test
    void aMomentWhoseGradientStaysZeroBecomesExactlyZeroNeverSubnormal() {
        // one step of g = 1, then g = 0: m shrinks by β₁ a step and v by β₂; m would be subnormal from step ~830 on
        // (37 elements: whole vectors and a scalar tail in the vector kernel)
        int n = 37;
        Tensor p = Tensor.full(0.5f, n).requiresGrad(true);
        Adam opt = new Adam(List.of(p), 1e-3);
        float[] signs = new float[n];
        for (int i = 0; i < n; i++) signs[i] = i % 2 == 0 ? 1f : -1f;
        p.setGrad(Tensor.of(signs));
        opt.step();
        p.setGrad(Tensor.zeros(n));
        float[] m = opt.state(p).get("exp_avg").array(), v = opt.state(p).get("exp_avg_sq").array();
        int zeroFrom = -1;
        for (int step = 2; step <= 1000; step++) {
            opt.step();
            NoSubnormals.check("step " + step, m, v);
            if (zeroFrom < 0 && m[0] == 0) zeroFrom = step;
        }
        for (int i = 0; i < n; i++) assertEquals(0f, m[i], "exp_avg[" + i + "]");
        assertTrue(v[0] > 0, "v shrinks by β₂ = 0.999 only: " + v[0]);
        // the step at which m = 0.1·0.9^(t−1), in float, would first be subnormal (t = 808 in exact arithmetic)
        float unflushed = 0.1f;
        int firstSubnormal = 1;
        while (unflushed >= Float.MIN_NORMAL) {
            unflushed *= 0.9f;
            firstSubnormal++;
        }
        assertEquals(firstSubnormal, zeroFrom);
        assertTrue(zeroFrom > 800 && zeroFrom < 815, "" + zeroFrom);
    }

    @Test
    void rejectsInvalidHyperparametersWithClearMessages() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        var e = assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 1e-3, 1.0, 0.999, 1e-8, 0, false));
        assertTrue(e.getMessage().contains("Adam: beta1 must be in [0, 1)") && e.getMessage().contains("beta1=1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 1e-3, 0.9, -0.1, 1e-8, 0, false));
        assertTrue(e.getMessage().contains("beta2 must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 1e-3, 0.9, 0.999, -1e-8, 0, false));
        assertTrue(e.getMessage().contains("eps must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(ps, -1));
        assertTrue(e.getMessage().contains("learning rate must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 1e-3, 0.9, 0.999, 1e-8, -0.01, false));
        assertTrue(e.getMessage().contains("weight_decay must be >= 0"), e.getMessage());
    }
}
