package dev.nn4j.nn;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchNorm1dTest {
    /**
     * Loads the initial state, runs the golden's training steps, checks the running statistics, then a training
     * forward/backward (batch statistics) and an eval forward (running statistics) against PyTorch.
     */
    static void checkAgainstPyTorch(Module bn, String file) {
        Golden g = Golden.load("layers/" + file);
        NormGolden.loadState(bn, g, "init.");
        bn.train();
        for (int i = 0; i < g.meta().get("steps").asInt(); i++) bn.forward(g.tensor("step" + i));
        NormGolden.checkState(bn, g, "");
        NormGolden.checkForwardBackward(bn, g);
        NormGolden.checkState(bn, g, "after.");
        bn.eval();
        Golden.assertClose(g.tensor("eval_output"), bn.forward(g.tensor("eval_input")), NormGolden.ATOL, NormGolden.RTOL, "eval_output");
        NormGolden.checkState(bn, g, "after.");
    }

    @Test
    void runningStatsTrainingAndEvalOutputsMatchPyTorchOn2dInput() {
        checkAgainstPyTorch(new BatchNorm1d(3), "norm_batch_norm1d");
    }

    @Test
    void runningStatsTrainingAndEvalOutputsMatchPyTorchOn3dInputWithMomentumAndEps() {
        checkAgainstPyTorch(new BatchNorm1d(2, 1e-3, 0.3, true, true), "norm_batch_norm1d_3d");
    }

    @Test
    void stateDictHasPyTorchNamesAndInitialValues() {
        BatchNorm1d bn = new BatchNorm1d(2);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertArrayEquals(new float[] {0, 0}, bn.runningMean().toFloatArray());
        assertArrayEquals(new float[] {1, 1}, bn.runningVar().toFloatArray());
        assertEquals(0, bn.numBatchesTracked().item());
        BatchNorm1d plain = new BatchNorm1d(2, 1e-5, 0.1, false, false);
        assertTrue(plain.stateDict().isEmpty());
    }

    @Test
    void printsEpsAndMomentumAsPythonReprDoes() {
        // Python: repr(1e-05), repr(0.0001), repr(2.5e-07), repr(1e+20), repr(0.3), repr(1.0), repr(1e7)
        assertEquals(List.of("1e-05", "0.0001", "2.5e-07", "1e+20", "0.3", "1.0", "10000000.0"),
                java.util.stream.DoubleStream.of(1e-5, 1e-4, 2.5e-7, 1e20, 0.3, 1.0, 1e7).mapToObj(Module::pythonFloat).toList());
        assertEquals("BatchNorm1d(4, eps=1e-05, momentum=None, affine=True, track_running_stats=False)",
                new BatchNorm1d(4, 1e-5, null, true, false).toString().replaceAll("  # .*", ""));
    }

    @Test
    void cumulativeAverageWithoutMomentum() {
        // momentum null: after batches b1, b2 the running mean is (b1 + b2) / 2, the running var the mean of the unbiased variances
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5, null, false, true);
        bn.forward(Tensor.of(1, 3).reshape(2, 1));   // mean 2, unbiased var 2
        bn.forward(Tensor.of(4, 8).reshape(2, 1));   // mean 6, unbiased var 8
        assertEquals(4, bn.runningMean().item(), 1e-6);
        assertEquals(5, bn.runningVar().item(), 1e-6);
        assertEquals(2, bn.numBatchesTracked().item());
    }

    @Test
    void withoutRunningStatsEvalStillUsesBatchStatistics() {
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5, 0.1, false, false);
        bn.eval();
        Tensor y = bn.forward(Tensor.of(1, 3).reshape(2, 1));
        // mean 2, biased var 1 ⇒ y = ±1/√(1 + eps)
        assertEquals(-1, y.get(0, 0), 1e-4);
        assertEquals(1, y.get(1, 0), 1e-4);
    }

    @Test
    void gradientsPassGradCheckInTrainingAndEvalMode() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Generator gen = new Generator(6);
        bn.weight().copyFrom(Tensor.randn(gen, 3));
        bn.bias().copyFrom(Tensor.randn(gen, 3));
        Tensor x = Tensor.randn(gen, 4, 3, 2).requiresGrad(true);
        Map<String, Tensor> inputs = Map.of("input", x, "weight", bn.weight(), "bias", bn.bias());
        GradCheck.defaults().assertClose(() -> bn.forward(x), inputs);
        bn.eval();
        GradCheck.defaults().assertClose(() -> bn.forward(x), inputs);
    }

    @Test
    void badShapesAreErrorsNamingTheLayer() {
        BatchNorm1d bn = new BatchNorm1d(3);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("BatchNorm1d") && e.getMessage().contains("[4, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(2, 3, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(3)));
        var one = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 3)));
        assertTrue(one.getMessage().contains("more than 1 value per channel"), one.getMessage());
        bn.eval();
        assertArrayEquals(new int[] {1, 3}, bn.forward(Tensor.zeros(1, 3)).shape());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3, 1e-5, 1.5, true, true));
    }
}
