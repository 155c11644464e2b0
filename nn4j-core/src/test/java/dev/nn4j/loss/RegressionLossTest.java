package dev.nn4j.loss;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** MSELoss, L1Loss, SmoothL1Loss and HuberLoss: element-wise losses of the difference {@code d = x − y}. */
class RegressionLossTest {

    static List<String> cases() {
        return Stream.of("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss").flatMap(l -> LossGoldens.cases(l).stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void regressionLossesMatchPyTorchInValueAndBothGradients(String name) {
        LossGoldens.assertMatchesPyTorch(name);
    }

    @Test
    void everyBetaDeltaAndReductionIsRecorded() {
        // MSE and L1 × 3 reductions; SmoothL1 β ∈ {1, 0.5, 0} × 3; Huber δ ∈ {1, 2.5} × 3
        assertEquals(3 + 3 + 9 + 6, cases().size(), cases().toString());
    }

    @Test
    void mseIsTheMeanSquareWithGradientTwoDOverN() {
        // ℓ = (1² + 2²)/2 = 2.5;  ∂ℓ/∂x = 2(x − y)/N = [1, 2], ∂ℓ/∂y = −[1, 2]
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true), y = Tensor.of(0f, 0f).requiresGrad(true);
        Tensor loss = new MSELoss().forward(x, y);
        loss.backward();
        assertEquals(2.5f, loss.item());
        assertArrayEquals(new float[] {1f, 2f}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {-1f, -2f}, y.grad().toFloatArray());
    }

    @Test
    void l1SumHasGradientSignOfDifferenceAndZeroAtATie() {
        // ℓ = |1| + |−2| + |0| = 3;  ∂ℓ/∂x = sign(x − y) = [1, −1, 0]
        Tensor x = Tensor.of(1f, -2f, 4f).requiresGrad(true);
        Tensor loss = new L1Loss(Reduction.SUM).forward(x, Tensor.of(0f, 0f, 4f));
        loss.backward();
        assertEquals(3f, loss.item());
        assertArrayEquals(new float[] {1f, -1f, 0f}, x.grad().toFloatArray());
    }

    @Test
    void smoothL1IsQuadraticInsideBetaAndLinearOutside() {
        // β = 1, d = [0.5, 2]: ℓ = [0.5·0.5²/1, 2 − 0.5] = [0.125, 1.5], mean 0.8125;
        // ∂ℓ/∂x = [d/β, sign d]/N = [0.5, 1]/2 = [0.25, 0.5]
        Tensor x = Tensor.of(0.5f, 2f).requiresGrad(true);
        Tensor loss = new SmoothL1Loss().forward(x, Tensor.of(0f, 0f));
        loss.backward();
        assertEquals(0.8125f, loss.item());
        assertArrayEquals(new float[] {0.25f, 0.5f}, x.grad().toFloatArray());
    }

    @Test
    void smoothL1WithBetaZeroIsL1WithoutNaNGradients() {
        // β = 0: ℓ = |d|, ∂ℓ/∂x = sign d (the quadratic branch would divide by 0); at d = 0 PyTorch's backward
        // takes its d ≤ −β branch, giving −1; the target's gradient is the negation, ∂ℓ/∂y = −∂ℓ/∂x
        Tensor x = Tensor.of(0.5f, -2f, 0f).requiresGrad(true), y = Tensor.zeros(3).requiresGrad(true);
        Tensor loss = new SmoothL1Loss(Reduction.SUM, 0f).forward(x, y);
        loss.backward();
        assertEquals(2.5f, loss.item());
        assertArrayEquals(new float[] {1f, -1f, -1f}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {-1f, 1f, 1f}, y.grad().toFloatArray());
    }

    @Test
    void huberIsQuadraticInsideDeltaAndDeltaTimesLinearOutside() {
        // δ = 2, d = [1, −3]: ℓ = [½·1², 2·(3 − 1)] = [0.5, 4], sum 4.5;  ∂ℓ/∂x = [d, δ·sign d] = [1, −2]
        Tensor x = Tensor.of(1f, -3f).requiresGrad(true);
        Tensor loss = new HuberLoss(2f).withReduction(Reduction.SUM).forward(x, Tensor.of(0f, 0f));
        loss.backward();
        assertEquals(4.5f, loss.item());
        assertArrayEquals(new float[] {1f, -2f}, x.grad().toFloatArray());
    }

    @Test
    void huberEqualsDeltaTimesSmoothL1WithBetaDelta() {
        Tensor x = Tensor.randn(new Generator(2), 4, 5).mul(3f), y = Tensor.zeros(4, 5);
        float huber = new HuberLoss(1.5f).forward(x, y).item();
        float smooth = new SmoothL1Loss(1.5f).forward(x, y).item();
        assertEquals(1.5f * smooth, huber, 1e-5f);
    }

    @Test
    void gradCheckEveryRegressionLossInInputAndTarget() {
        Generator g = new Generator(9);
        // differences of magnitude ≥ 0.2 and away from β, δ ∈ {0.5, 1}: the kinks are more than eps = 1e-3 away
        float[] d = {0.2f, -0.3f, 0.7f, -0.8f, 1.3f, -1.6f, 2.5f, -0.45f};
        Tensor y = Tensor.randn(g, 2, 4).requiresGrad(true);
        Tensor x = y.detach().add(Tensor.fromArray(d, 2, 4)).copy().requiresGrad(true);
        for (Reduction r : Reduction.values()) {
            for (Loss loss : List.of(new MSELoss(r), new L1Loss(r), new SmoothL1Loss(r, 1f), new SmoothL1Loss(r, 0.5f),
                    new HuberLoss(r, 1f), new HuberLoss(r, 0.5f))) {
                GradCheck.check(in -> loss.forward(in[0], in[1]), x, y);
            }
        }
    }
}
