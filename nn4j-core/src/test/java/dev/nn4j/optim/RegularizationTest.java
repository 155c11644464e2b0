package dev.nn4j.optim;

import dev.nn4j.Golden;
import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RegularizationTest {
    private static final Golden G = Golden.load("optim/penalties");

    @Test
    void l1PenaltyAndItsGradientMatchPyTorch() {
        Tensor a = G.tensor("a").requiresGrad(true), b = G.tensor("b").requiresGrad(true);
        Tensor v = Regularization.l1(List.of(a, b), 0.3);
        G.assertClose("l1.value", v, 0, 1e-6);
        v.backward();
        G.assertClose("l1.grad_a", a.grad(), 0, 1e-6);
        G.assertClose("l1.grad_b", b.grad(), 0, 1e-6);  // b holds a 0: PyTorch's subgradient there is 0
    }

    @Test
    void l2PenaltyAndItsGradientMatchPyTorch() {
        Tensor a = G.tensor("a").requiresGrad(true), b = G.tensor("b").requiresGrad(true);
        Tensor v = Regularization.l2(List.of(a, b), 0.3);
        G.assertClose("l2.value", v, 0, 1e-6);
        v.backward();
        G.assertClose("l2.grad_a", a.grad(), 0, 1e-6);
        G.assertClose("l2.grad_b", b.grad(), 0, 1e-6);
    }

    @Test
    void penaltiesPassGradientChecks() {
        // l2: ∂/∂θ λΣθ² = 2λθ; l1: ∂/∂θ λΣ|θ| = λ·sign(θ) (entries kept away from the kink at 0)
        Generator gen = new Generator(5);
        Tensor a = Tensor.randn(gen, 3, 4).requiresGrad(true), b = Tensor.rand(gen, 5).add(0.5f).requiresGrad(true);
        GradCheck.defaults().assertClose(() -> Regularization.l2(List.of(a, b), 0.7), Map.of("a", a, "b", b));
        Tensor c = Tensor.of(-1.5f, -0.4f, 0.3f, 2f).requiresGrad(true);
        GradCheck.defaults().assertClose(() -> Regularization.l1(List.of(c, b), 0.7), Map.of("c", c, "b", b));
    }

    @Test
    void gradientSideApplicationEqualsAddingThePenaltyToTheLoss() {
        for (boolean l1 : new boolean[] {true, false}) {
            Tensor viaLoss = G.tensor("a").requiresGrad(true), direct = G.tensor("a").requiresGrad(true);
            Tensor x = Tensor.of(1f, -2f, 0.5f, 3f);
            Tensor penalty = l1 ? Regularization.l1(List.of(viaLoss), 0.3) : Regularization.l2(List.of(viaLoss), 0.3);
            viaLoss.matmul(x).sum().add(penalty).backward();
            direct.matmul(x).sum().backward();
            if (l1) Regularization.applyL1(List.of(direct), 0.3);
            else Regularization.applyL2(List.of(direct), 0.3);
            float[] e = viaLoss.grad().toFloatArray(), g = direct.grad().toFloatArray();
            for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 1e-6, (l1 ? "l1" : "l2") + " gradient " + i);
        }
    }

    @Test
    void sgdWeightDecayEqualsL2WithHalfTheCoefficient() {
        Regression r1 = new Regression("sgd_plain"), r2 = new Regression("sgd_plain");
        Sgd decayed = new Sgd(r1.params(), 0.1, 0, 0, 0.02, false, false), plain = new Sgd(r2.params(), 0.1);
        for (int i = 0; i < 3; i++) {
            r1.step(decayed);
            plain.zeroGrad();
            r2.loss().add(Regularization.l2(r2.params(), 0.01)).backward();
            plain.step();
        }
        float[] e = r1.w.toFloatArray(), a = r2.w.toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-6);
    }

    @Test
    void rejectsNegativeLambdaAndEmptyLists() {
        assertThrows(IllegalArgumentException.class, () -> Regularization.l2(List.of(Tensor.zeros(1)), -0.1));
        assertThrows(IllegalArgumentException.class, () -> Regularization.l1(List.of(), 0.1));
        Tensor p = Tensor.of(1f).requiresGrad(true);
        Regularization.applyL2(List.of(p), 0.5);  // no gradient: nothing to do
        assertArrayEquals(new float[] {1f}, p.toFloatArray());
    }
}
