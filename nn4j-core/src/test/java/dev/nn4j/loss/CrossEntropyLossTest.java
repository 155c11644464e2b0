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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CrossEntropyLoss against PyTorch goldens (class indices, probabilities, huge logits), gradient checks and hand-derived cases. */
class CrossEntropyLossTest {

    static List<String> classIndexCases() {
        return LossGoldens.cases("CrossEntropyLoss", n -> !n.contains("prob") && !n.contains("huge"));
    }

    static List<String> probabilityCases() {
        return LossGoldens.cases("CrossEntropyLoss", n -> n.contains("prob") && !n.contains("huge"));
    }

    static List<String> hugeLogitCases() {
        return LossGoldens.cases("CrossEntropyLoss", n -> n.contains("huge"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classIndexCases")
    void crossEntropyWithClassIndicesMatchesPyTorch(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probabilityCases")
    void crossEntropyWithClassProbabilitiesMatchesPyTorchInValueAndBothGradients(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeLogitCases")
    void hugeLogitsGiveFiniteLossesMatchingPyTorch(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @Test
    void everyClassIndexOptionCombinationIsRecorded() {
        // weights × label smoothing × ignoreIndex (-100 with ignored targets, 1 inside [0, C)) × 3 reductions, plus spatial and unbatched
        assertTrue(classIndexCases().size() >= 2 * 2 * 3 * 3 + 4, classIndexCases().toString());
        assertTrue(probabilityCases().size() >= 2 * 2 * 3 + 2, probabilityCases().toString());
    }

    @Test
    void tiedTwoClassLogitsGiveLn2AndSoftmaxMinusOneHot() {
        // ℓ = −log softmax(x)[0] = log(e⁰ + e⁰) − 0 = ln 2;  ∂ℓ/∂x = softmax(x) − onehot(0) = [½ − 1, ½] = [−½, ½]
        Tensor x = Tensor.fromArray(new float[] {0f, 0f}, 1, 2).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().forward(x, Tensor.of(0f));
        loss.backward();
        assertEquals(Math.log(2), loss.item(), 1e-7);
        assertArrayEquals(new float[] {-0.5f, 0.5f}, x.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void labelSmoothingMovesTheGradientTowardsTheSmoothedTarget() {
        // ε = 0.2, C = 2: q = (1−ε)·onehot(0) + ε/C = [0.9, 0.1];  ℓ = −Σ q log p = ln 2 (p = [½, ½]);
        // ∂ℓ/∂x = p − q = [−0.4, 0.4]
        Tensor x = Tensor.fromArray(new float[] {0f, 0f}, 1, 2).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().withLabelSmoothing(0.2f).forward(x, Tensor.of(0f));
        loss.backward();
        assertEquals(Math.log(2), loss.item(), 1e-6);
        assertArrayEquals(new float[] {-0.4f, 0.4f}, x.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void weightedMeanDividesBySumOfWeightsOfTargetsThatAreNotIgnored() {
        // logits 0 ⇒ every −log p = ln 3. Targets [2, −100, 0], w = [1, 5, 3]: ℓ = (3 ln 3 + 0 + 1 ln 3) / (3 + 1) = ln 3
        // ∂ℓ/∂x₀ = w₂·(p − onehot(2))/4 = ¾·[⅓, ⅓, −⅔]; the ignored row gets 0
        Tensor x = Tensor.zeros(3, 3).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().withWeight(Tensor.of(1f, 5f, 3f)).forward(x, Tensor.of(2f, -100f, 0f));
        loss.backward();
        assertEquals(Math.log(3), loss.item(), 1e-6);
        assertArrayEquals(new float[] {0.25f, 0.25f, -0.5f, 0f, 0f, 0f, -1f / 6, 1f / 12, 1f / 12}, x.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void gradCheckClassIndicesWithWeightSmoothingAndIgnoredTarget() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 4, 3).requiresGrad(true);
        Tensor w = Tensor.of(0.5f, 1f, 2f).requiresGrad(true);
        Tensor y = Tensor.of(2f, -100f, 0f, 1f);
        for (Reduction r : Reduction.values()) {
            CrossEntropyLoss loss = new CrossEntropyLoss().withReduction(r).withLabelSmoothing(0.15f);
            GradCheck.check(in -> loss.withWeight(in[1]).forward(in[0], y), x, w);
        }
    }

    @Test
    void gradCheckSpatialClassIndices() {
        Generator g = new Generator(4);
        Tensor x = Tensor.randn(g, 2, 3, 2, 2).requiresGrad(true);
        Tensor y = Tensor.fromArray(new float[] {0, 2, 1, 1, 2, 0, 0, 2}, 2, 2, 2);
        GradCheck.check(in -> new CrossEntropyLoss().forward(in[0], y), x);
    }

    @Test
    void gradCheckProbabilityTargetsInInputAndTarget() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 3, 4).requiresGrad(true);
        Tensor p = Tensor.rand(g, 3, 4).requiresGrad(true);
        Tensor w = Tensor.of(1f, 2f, 0.5f, 1.5f);
        for (Reduction r : Reduction.values()) {
            CrossEntropyLoss loss = new CrossEntropyLoss(w, -100, r, 0.1f);
            GradCheck.check(in -> loss.forward(in[0], in[1]), x, p);
        }
    }

    @Test
    void nanLogitsGiveNanLossRatherThanAnException() {
        Tensor x = Tensor.fromArray(new float[] {1f, Float.NaN, 0f, 2f, 1f, 0f}, 2, 3);
        assertTrue(Float.isNaN(new CrossEntropyLoss().forward(x, Tensor.of(0f, 1f)).item()));
        assertTrue(Float.isNaN(new CrossEntropyLoss().forward(x, Tensor.full(1f / 3, 2, 3)).item()));
        Tensor perRow = new CrossEntropyLoss().withReduction(Reduction.NONE).forward(x, Tensor.of(0f, 1f));
        assertTrue(Float.isNaN(perRow.get(0)));
        assertEquals(Math.log(Math.exp(2) + Math.exp(1) + 1) - 1, perRow.get(1), 1e-6);
    }

    @Test
    void defaultsAreThoseOfPyTorchAndWithersCopy() {
        CrossEntropyLoss plain = new CrossEntropyLoss();
        assertNull(plain.weight());
        assertEquals(-100, plain.ignoreIndex());
        assertEquals(Reduction.MEAN, plain.reduction());
        assertEquals(0f, plain.labelSmoothing());
        CrossEntropyLoss tuned = plain.withLabelSmoothing(0.1f).withIgnoreIndex(0).withReduction(Reduction.SUM);
        assertEquals(new CrossEntropyLoss(null, 0, Reduction.SUM, 0.1f), tuned);
        assertEquals(new CrossEntropyLoss(), plain);
    }
}
