package dev.nn4j.nn;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchNorm2dTest {
    @Test
    void runningStatsTrainingAndEvalOutputsMatchPyTorch() {
        BatchNorm1dTest.checkAgainstPyTorch(new BatchNorm2d(3), "norm_batch_norm2d");
    }

    @Test
    void runningStatsTrainingAndEvalOutputsMatchPyTorchWithoutAffine() {
        BatchNorm2d bn = new BatchNorm2d(2, 1e-5, 0.5, false, true);
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        BatchNorm1dTest.checkAgainstPyTorch(bn, "norm_batch_norm2d_no_affine");
    }

    @Test
    void gradientsPassGradCheck() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Generator gen = new Generator(7);
        bn.weight().copyFrom(Tensor.randn(gen, 2));
        bn.bias().copyFrom(Tensor.randn(gen, 2));
        Tensor x = Tensor.randn(gen, 2, 2, 2, 2).requiresGrad(true);
        GradCheck.defaults().assertClose(() -> bn.forward(x), Map.of("input", x, "weight", bn.weight(), "bias", bn.bias()));
    }

    @Test
    void inputMustBe4dWithNumFeaturesChannels() {
        BatchNorm2d bn = new BatchNorm2d(3);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("BatchNorm2d") && e.getMessage().contains("[N, C, H, W]") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(2, 4, 2, 2)));
    }
}
