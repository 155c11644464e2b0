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

/** NLLLoss against PyTorch goldens, a gradient check and hand-derived weighted and ignored cases. */
class NLLLossTest {

    static List<String> cases() {
        return LossGoldens.cases("NLLLoss");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nllMatchesPyTorchForEveryWeightIgnoreIndexAndReduction(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @Test
    void everyOptionCombinationIsRecorded() {
        // weights × ignoreIndex (-100 unused, -100 used, 1) × 3 reductions, plus 2 spatial, unbatched and all-ignored
        assertTrue(cases().size() >= 2 * 3 * 3 + 4, cases().toString());
    }

    @Test
    void weightedMeanPicksMinusTheTargetLogProbabilities() {
        // x = [[−1, −2], [−3, −4]], y = [1, 0], w = [1, 3]:
        // ℓ = (w₁·2 + w₀·3)/(w₁ + w₀) = (6 + 3)/4 = 9/4;  ∂ℓ/∂x₀₁ = −w₁/4 = −¾, ∂ℓ/∂x₁₀ = −w₀/4 = −¼, others 0
        Tensor x = Tensor.fromArray(new float[] {-1f, -2f, -3f, -4f}, 2, 2).requiresGrad(true);
        Tensor loss = new NLLLoss().withWeight(Tensor.of(1f, 3f)).forward(x, Tensor.of(1f, 0f));
        loss.backward();
        assertEquals(2.25f, loss.item(), 1e-6f);
        assertArrayEquals(new float[] {0f, -0.75f, -0.25f, 0f}, x.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void ignoredTargetsGiveZeroLossAndGradientEvenWhenTheirRowIsInfinite() {
        // row 1 is ignored, so its −∞ must neither reach the loss nor turn the gradient into NaN
        Tensor x = Tensor.fromArray(new float[] {-1f, -2f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2, 2).requiresGrad(true);
        Tensor loss = new NLLLoss().withReduction(Reduction.SUM).forward(x, Tensor.of(0f, -100f));
        loss.backward();
        assertEquals(1f, loss.item());
        assertArrayEquals(new float[] {-1f, 0f, 0f, 0f}, x.grad().toFloatArray());
    }

    @Test
    void gradCheckWithWeightAndIgnoreIndex() {
        Generator g = new Generator(11);
        Tensor x = Tensor.randn(g, 5, 4).requiresGrad(true);
        Tensor w = Tensor.of(1f, 0.5f, 2f, 3f).requiresGrad(true);
        Tensor y = Tensor.of(3f, 0f, 2f, 2f, 1f);
        for (Reduction r : Reduction.values()) {
            GradCheck.check(in -> new NLLLoss(in[1], 2, r).forward(in[0], y), x, w);
        }
    }
}
