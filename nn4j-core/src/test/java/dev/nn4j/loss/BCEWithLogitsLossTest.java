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

/** BCEWithLogitsLoss against PyTorch goldens (including ±1e4 logits), gradient checks, hand-derived cases and NaN propagation. */
class BCEWithLogitsLossTest {

    static List<String> cases() {
        return LossGoldens.cases("BCEWithLogitsLoss", n -> !n.contains("huge"));
    }

    static List<String> hugeLogitCases() {
        return LossGoldens.cases("BCEWithLogitsLoss", n -> n.contains("huge"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bceWithLogitsMatchesPyTorchForEveryWeightPosWeightAndReduction(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeLogitCases")
    void hugeLogitsGiveExactLossesAndGradientsMatchingPyTorch(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @Test
    void everyOptionCombinationIsRecorded() {
        // (no weight, weight) × (no posWeight, posWeight) × 3 reductions
        assertEquals(2 * 2 * 3, cases().size(), cases().toString());
        assertEquals(3, hugeLogitCases().size());
    }

    @Test
    void zeroLogitOfAPositiveCostsLn2AndPosWeightScalesIt() {
        // x = 0, y = 1: ℓ = −log σ(0) = ln 2, ∂ℓ/∂x = σ(0) − y = −½.
        // posWeight p = 3: ℓ = −p·log σ(0) = 3 ln 2, ∂ℓ/∂x = (p·y + 1 − y)·σ(0) − p·y = 1.5 − 3 = −1.5
        Tensor x = Tensor.of(0f).requiresGrad(true);
        Tensor loss = new BCEWithLogitsLoss().forward(x, Tensor.of(1f));
        loss.backward();
        assertEquals(Math.log(2), loss.item(), 1e-7);
        assertEquals(-0.5f, x.grad().item(), 1e-7f);

        x.zeroGrad();
        loss = new BCEWithLogitsLoss().withPosWeight(Tensor.of(3f)).forward(x, Tensor.of(1f));
        loss.backward();
        assertEquals(3 * Math.log(2), loss.item(), 1e-6);
        assertEquals(-1.5f, x.grad().item(), 1e-6f);
    }

    @Test
    void agreesWithBceOnSigmoidWhereSigmoidIsAccurate() {
        Generator g = new Generator(8);
        Tensor x = Tensor.randn(g, 3, 4), y = Tensor.rand(g, 3, 4);
        float viaLogits = new BCEWithLogitsLoss().forward(x, y).item();
        float viaProbabilities = new BCELoss().forward(x.sigmoid(), y).item();
        assertEquals(viaProbabilities, viaLogits, 1e-5f);
    }

    @Test
    void nanLogitsGiveNanLossRatherThanAnException() {
        Tensor loss = new BCEWithLogitsLoss(null, Reduction.NONE, null).forward(Tensor.of(Float.NaN, 1f), Tensor.of(1f, 1f));
        assertTrue(Float.isNaN(loss.get(0)));
        assertEquals(Math.log1p(Math.exp(-1)), loss.get(1), 1e-7);
    }

    @Test
    void gradCheckWithWeightAndPosWeightInInputTargetAndWeights() {
        Generator g = new Generator(31);
        Tensor x = Tensor.randn(g, 3, 4).mul(3f).copy().requiresGrad(true);
        Tensor y = Tensor.rand(g, 3, 4).requiresGrad(true);
        Tensor w = Tensor.rand(g, 3, 4).add(0.5f).copy().requiresGrad(true);
        Tensor p = Tensor.of(2f, 0.5f, 1f, 4f).requiresGrad(true);
        for (Reduction r : Reduction.values()) {
            GradCheck.check(in -> new BCEWithLogitsLoss(in[2], r, in[3]).forward(in[0], in[1]), x, y, w, p);
            GradCheck.check(in -> new BCEWithLogitsLoss(null, r, null).forward(in[0], in[1]), x, y);
        }
    }
}
