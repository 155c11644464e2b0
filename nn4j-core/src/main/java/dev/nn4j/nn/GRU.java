package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * Gated recurrent unit, as {@code torch.nn.GRU}: per layer, direction and time step
 * <pre>
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * with the gates stacked in PyTorch's order r, z, n; note the hidden bias {@code b_hn} sits inside the reset
 * product, as in PyTorch (and cuDNN), not outside it as in the original paper.
 *
 * <p><b>Shapes:</b> input {@code [seq, batch, inputSize]} ({@code [batch, seq, inputSize]} with {@code batchFirst},
 * or unbatched {@code [seq, inputSize]}); {@code h0} {@code [D·numLayers, batch, hiddenSize]}; output and final
 * state as described in {@link RNNOutput} ({@code cN} is null).
 *
 * <p><b>Parameters:</b> {@code weight_ih_lk} {@code [3·hiddenSize, in]}, {@code weight_hh_lk}
 * {@code [3·hiddenSize, hiddenSize]}, {@code bias_ih_lk}, {@code bias_hh_lk} {@code [3·hiddenSize]}, with
 * {@code _reverse} copies when bidirectional; all U(−1/√hiddenSize, 1/√hiddenSize) (see {@link RNNBase}).
 *
 * <p>Reference: Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for Statistical Machine
 * Translation" (2014); <a href="https://pytorch.org/docs/1.13/generated/torch.nn.GRU.html">torch.nn.GRU</a>.
 */
public final class GRU extends RNNBase {
    /** One layer, with biases, sequence first, global generator. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0, false, Generator.global());
    }

    /**
     * All options in PyTorch's order; {@code gen} draws the initial weights and, in training mode, the dropout
     * masks between layers ({@code dropout} in [0, 1]).
     */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional, Generator gen) {
        super(3, false, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen);
    }

    /** Output and final state {@code hN} from the initial state {@code h0} (null for zeros). */
    public RNNOutput forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }

    @Override
    Tensor[] cell(Tensor xProj, Tensor h, Tensor c, Tensor weightHh, Tensor biasHh) {
        int k = hiddenSize();
        Tensor hProj = h.linear(weightHh, biasHh);
        Tensor r = xProj.narrow(1, 0, k).add(hProj.narrow(1, 0, k)).sigmoid();
        Tensor z = xProj.narrow(1, k, k).add(hProj.narrow(1, k, k)).sigmoid();
        Tensor n = xProj.narrow(1, 2 * k, k).add(r.mul(hProj.narrow(1, 2 * k, k))).tanh();
        // (1 − z) ⊙ n + z ⊙ h, written as n + z ⊙ (h − n)
        return new Tensor[] {n.add(z.mul(h.sub(n))), null};
    }
}
