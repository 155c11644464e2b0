package dev.nn4j.loss;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BCELoss against PyTorch goldens (including the −100 log clamp), a gradient check and hand-derived cases. */
class BCELossTest {

    static List<String> cases() {
        return LossGoldens.cases("BCELoss");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bceMatchesPyTorchForEveryWeightShapeAndReduction(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @Test
    void everyOptionCombinationIsRecorded() {
        // soft/hard targets × (no weight, [C] weight, full weight) × 3 reductions, plus the clamped case
        assertEquals(2 * 3 * 3 + 1, cases().size(), cases().toString());
    }

    @Test
    void halfProbabilityOfAPositiveCostsLn2() {
        // ℓ = −log 0.5 = ln 2;  ∂ℓ/∂x = (x − y)/(x(1 − x)) = −0.5/0.25 = −2;  ∂ℓ/∂y = log(1 − x) − log x = 0
        Tensor x = Tensor.of(0.5f).requiresGrad(true), y = Tensor.of(1f).requiresGrad(true);
        Tensor loss = new BCELoss().forward(x, y);
        loss.backward();
        assertEquals(Math.log(2), loss.item(), 1e-7);
        assertEquals(-2f, x.grad().item(), 1e-6f);
        assertEquals(0f, y.grad().item(), 1e-7f);
    }

    @Test
    void logsAreClampedAtMinus100AndTheClampedGradientIsFinite() {
        // x = 0 with y = 1 and x = 1 with y = 0: −max(log 0, −100) = 100 each; the clamp is flat there, so the
        // gradient is 0 from the clamped log; x = 0 with y = 0 keeps ∂/∂x[−log(1 − x)] = 1/(1 − x) = 1
        Tensor x = Tensor.of(0f, 1f, 0f).requiresGrad(true);
        Tensor loss = new BCELoss(null, Reduction.NONE).forward(x, Tensor.of(1f, 0f, 0f));
        assertArrayEquals(new float[] {100f, 100f, 0f}, loss.toFloatArray());
        loss.sum().backward();
        assertArrayEquals(new float[] {0f, 0f, 1f}, x.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void gradCheckWithWeightInInputAndTarget() {
        Generator g = new Generator(21);
        // probabilities in [0.1, 0.9]: far from the clamps, so central differences see the smooth function
        Tensor x = Tensor.rand(g, 3, 4).mul(0.8f).add(0.1f).copy().requiresGrad(true);
        Tensor y = Tensor.rand(g, 3, 4).requiresGrad(true);
        Tensor w = Tensor.of(0.5f, 1f, 2f, 1.5f);
        for (Reduction r : Reduction.values()) {
            GradCheck.check(in -> new BCELoss(w, r).forward(in[0], in[1]), x, y);
        }
    }

    @Test
    void weightScalesEachElement() {
        Tensor x = Tensor.of(0.2f, 0.7f), y = Tensor.of(0f, 1f);
        Tensor plain = new BCELoss(null, Reduction.NONE).forward(x, y);
        Tensor weighted = new BCELoss(Tensor.of(3f, 0.5f), Reduction.NONE).forward(x, y);
        assertArrayEquals(new float[] {3f * plain.get(0), 0.5f * plain.get(1)}, weighted.toFloatArray(), 1e-7f);
        assertTrue(plain.get(0) > 0);
    }
}
