package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;

class LSTMTest {
    private static final Generator GEN = new Generator(5);

    @Test
    void lstmMatchesPyTorchWithTwoBidirectionalLayersAndInitialStates() {
        RecurrentGolden.assertMatches("rnn_lstm_2layer_bidirectional_initial", new LSTM(3, 2, 2, true, false, 0, true, GEN));
    }

    @Test
    void lstmMatchesPyTorchBatchFirstWithZeroInitialStates() {
        RecurrentGolden.assertMatches("rnn_lstm_batch_first", new LSTM(3, 3, 1, true, true, 0, false, GEN));
    }

    @Test
    void lstmMatchesPyTorchWithoutBiasBatchFirstTwoLayersAndInitialStates() {
        RecurrentGolden.assertMatches("rnn_lstm_batch_first_2layer_initial_nobias", new LSTM(2, 2, 2, false, true, 0, false, GEN));
    }

    @Test
    void lstmMatchesPyTorchOnAnUnbatchedBidirectionalSequence() {
        RecurrentGolden.assertMatches("rnn_lstm_unbatched_bidirectional", new LSTM(3, 2, 1, true, false, 0, true, GEN));
    }

    @Test
    void lstmGradientsMatchCentralDifferences() {
        // 2 layers × 2 directions, seq 3, batch 2, input 2, hidden 2: through output, hN and cN
        RecurrentGolden.assertGradientsCheck(new LSTM(2, 2, 2, true, false, 0, true, new Generator(3)), new int[] {3, 2, 2}, new int[] {4, 2, 2});
    }
}
