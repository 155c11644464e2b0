package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;

class GRUTest {
    private static final Generator GEN = new Generator(6);

    @Test
    void gruMatchesPyTorchWithTwoBidirectionalBatchFirstLayersAndInitialState() {
        RecurrentGolden.assertMatches("rnn_gru_2layer_bidirectional_batch_first_initial", new GRU(3, 2, 2, true, true, 0, true, GEN));
    }

    @Test
    void gruMatchesPyTorchSequenceFirstWithZeroInitialState() {
        // with biases, so the hidden n-gate bias b_hn inside r ⊙ (W_hn h + b_hn) is exercised
        RecurrentGolden.assertMatches("rnn_gru_seq_first", new GRU(3, 3, 1, true, false, 0, false, GEN));
    }

    @Test
    void gruMatchesPyTorchWithoutBiasTwoLayersAndInitialState() {
        RecurrentGolden.assertMatches("rnn_gru_nobias_2layer", new GRU(2, 2, 2, false, false, 0, false, GEN));
    }

    @Test
    void gruGradientsMatchCentralDifferences() {
        RecurrentGolden.assertGradientsCheck(new GRU(2, 2, 2, true, true, 0, true, new Generator(4)), new int[] {2, 3, 2}, new int[] {4, 2, 2});
    }
}
