package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Recurrent;
import dev.nn4j.tensor.Tensor;

/**
 * Long short-term memory, as {@code torch.nn.LSTM}: per layer, direction and time step
 * <pre>
 * i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f ⊙ c + i ⊙ g                        h' = o ⊙ tanh(c')
 * </pre>
 * with the gates stacked in PyTorch's order i, f, g, o in {@code weight_ih_lk = [W_ii; W_if; W_ig; W_io]} and the
 * other parameters. A layer above the first reads the (concatenated, when bidirectional) hidden states of the one
 * below, passed through dropout in training mode.
 *
 * <p><b>Shapes:</b> input {@code [seq, batch, inputSize]} ({@code [batch, seq, inputSize]} with {@code batchFirst},
 * or unbatched {@code [seq, inputSize]}); {@code h0}, {@code c0} {@code [D·numLayers, batch, hiddenSize]}; output
 * and final states as described in {@link RNNOutput}.
 *
 * <p><b>Parameters:</b> {@code weight_ih_lk} {@code [4·hiddenSize, in]}, {@code weight_hh_lk}
 * {@code [4·hiddenSize, hiddenSize]}, {@code bias_ih_lk}, {@code bias_hh_lk} {@code [4·hiddenSize]}, with
 * {@code _reverse} copies when bidirectional; all U(−1/√hiddenSize, 1/√hiddenSize) (see {@link RNNBase}).
 *
 * <p>Reference: Hochreiter and Schmidhuber, "Long Short-Term Memory" (1997);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.LSTM.html">torch.nn.LSTM</a>.
 */
public final class LSTM extends RNNBase {
    /** One layer, with biases, sequence first, global generator. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0, false, Generator.global());
    }

    /**
     * All options in PyTorch's order; {@code gen} draws the initial weights and, in training mode, the dropout
     * masks between layers ({@code dropout} in [0, 1]).
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
                boolean bidirectional, Generator gen) {
        super(4, true, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen);
    }

    /** Output and final states {@code hN}, {@code cN} from initial states {@code h0}, {@code c0} (null for zeros). */
    public RNNOutput forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0);
    }

    @Override
    Tensor[] cell(Tensor xProj, Tensor h, Tensor c, Tensor weightHh, Tensor biasHh) {
        int n = hiddenSize();
        Tensor gates = xProj.add(h.linear(weightHh, biasHh));       // one GEMM for all four gates
        Tensor hc = Recurrent.lstmCell(gates, c);                    // [h' | c'], activations and state update fused
        return new Tensor[] {hc.narrow(1, 0, n), hc.narrow(1, n, n)};
    }
}
