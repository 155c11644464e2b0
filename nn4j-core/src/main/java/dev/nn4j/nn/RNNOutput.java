package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;

/**
 * What a recurrent layer ({@link RNN}, {@link LSTM}, {@link GRU}) returns from its stateful forward: the output
 * sequence and the final hidden state (and, for an LSTM, the final cell state), as PyTorch's
 * {@code output, h_n} and {@code output, (h_n, c_n)}.
 *
 * <p><b>Shapes</b> (D = 2 when bidirectional, else 1; L = numLayers):
 * {@code output} is {@code [seq, batch, D·hiddenSize]} ({@code [batch, seq, D·hiddenSize]} with {@code batchFirst},
 * {@code [seq, D·hiddenSize]} for an unbatched input); {@code hN} and {@code cN} are {@code [D·L, batch, hiddenSize]}
 * ({@code [D·L, hiddenSize]} unbatched), ordered layer by layer, forward direction before reverse.
 *
 * @param output the last layer's hidden state at every step
 * @param hN     the final hidden state of every layer and direction
 * @param cN     the final cell state of every layer and direction, or null for RNN and GRU
 */
public record RNNOutput(Tensor output, Tensor hN, Tensor cN) {
}
