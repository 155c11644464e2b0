package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RNNTest {
    private static final Generator GEN = new Generator(7);

    @Test
    void tanhRnnMatchesPyTorchWithTwoBidirectionalLayersAndInitialState() {
        RecurrentGolden.assertMatches("rnn_rnn_tanh_2layer_bidirectional_initial",
                new RNN(3, 2, 2, RNN.Nonlinearity.TANH, true, false, 0, true, GEN));
    }

    @Test
    void reluRnnMatchesPyTorchBatchFirst() {
        RecurrentGolden.assertMatches("rnn_rnn_relu_batch_first", new RNN(3, 3, 1, RNN.Nonlinearity.RELU, true, true, 0, false, GEN));
    }

    @Test
    void rnnGradientsMatchCentralDifferences() {
        RecurrentGolden.assertGradientsCheck(new RNN(2, 2, 2, RNN.Nonlinearity.TANH, true, false, 0, true, new Generator(5)),
                new int[] {3, 2, 2}, new int[] {4, 2, 2});
    }

    @Test
    void nonlinearityParsesPyTorchSpelling() {
        assertEquals(RNN.Nonlinearity.RELU, RNN.Nonlinearity.of("relu"));
        assertEquals(RNN.Nonlinearity.TANH, RNN.Nonlinearity.of("TANH"));
        var e = assertThrows(IllegalArgumentException.class, () -> RNN.Nonlinearity.of("gelu"));
        assertEquals("RNN: unknown nonlinearity 'gelu'; expected 'tanh' or 'relu'", e.getMessage());
    }
}
