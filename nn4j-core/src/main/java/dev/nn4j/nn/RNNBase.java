package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.nn.init.Init;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The machinery shared by {@link RNN}, {@link LSTM} and {@link GRU}, as PyTorch's {@code RNNBase}: parameters under
 * PyTorch's names, the loop over layers, directions and time steps, dropout between layers, {@code batchFirst},
 * unbatched inputs and the shape checks. A subclass supplies only the cell: one time step given the input
 * projection {@code x_t W_ihᵀ + b_ih} of all gates at once.
 *
 * <p>Per layer, direction and time step, one matrix multiply projects the input for all gates ({@code x_t W_ihᵀ + b_ih})
 * and one more the hidden state ({@code h W_hhᵀ + b_hh}); autograd derives the backward pass through time (LSTM's
 * element-wise cell is one fused primitive, {@code Recurrent.lstmCell}).
 *
 * <p><b>Parameters</b> (for layer {@code k}, suffix {@code _reverse} for the reverse direction; G is the number of
 * gates: 1 for RNN, 4 for LSTM, 3 for GRU): {@code weight_ih_lk} {@code [G·hiddenSize, in]} with {@code in} =
 * inputSize for layer 0 and {@code D·hiddenSize} above, {@code weight_hh_lk} {@code [G·hiddenSize, hiddenSize]},
 * {@code bias_ih_lk} and {@code bias_hh_lk} {@code [G·hiddenSize]} (absent when {@code bias = false}); all drawn
 * from U(−1/√hiddenSize, 1/√hiddenSize) in registration order, as PyTorch does.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.RNN.html">torch.nn.RNN</a>.
 */
public abstract sealed class RNNBase extends Module permits RNN, LSTM, GRU {
    private final int inputSize, hiddenSize, numLayers, gates;
    private final boolean bias, batchFirst, bidirectional, hasCell;
    private final double dropout;
    private final Generator gen;
    private final Tensor[][] weightIh, weightHh, biasIh, biasHh;

    RNNBase(int gates, boolean hasCell, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional, Generator gen) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(typeName() + ": inputSize, hiddenSize and numLayers must be positive but were "
                    + inputSize + ", " + hiddenSize + " and " + numLayers);
        }
        Functional.checkProbability(typeName(), dropout);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.gates = gates;
        this.hasCell = hasCell;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        this.gen = gen;
        int dirs = directions();
        weightIh = new Tensor[numLayers][dirs];
        weightHh = new Tensor[numLayers][dirs];
        biasIh = new Tensor[numLayers][dirs];
        biasHh = new Tensor[numLayers][dirs];
        for (int l = 0; l < numLayers; l++) {
            int in = l == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                weightIh[l][d] = registerParameter("weight_ih" + sfx, Tensor.zeros(gates * hiddenSize, in));
                weightHh[l][d] = registerParameter("weight_hh" + sfx, Tensor.zeros(gates * hiddenSize, hiddenSize));
                if (bias) {
                    biasIh[l][d] = registerParameter("bias_ih" + sfx, Tensor.zeros(gates * hiddenSize));
                    biasHh[l][d] = registerParameter("bias_hh" + sfx, Tensor.zeros(gates * hiddenSize));
                }
            }
        }
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform(p, -bound, bound, gen);
    }

    /**
     * One time step. {@code xProj} is {@code x_t W_ihᵀ + b_ih} for all gates, {@code [batch, G·hiddenSize]};
     * {@code h} and {@code c} are {@code [batch, hiddenSize]} ({@code c} null without a cell state); {@code biasHh}
     * may be null. Returns the new {@code {h, c}}.
     */
    abstract Tensor[] cell(Tensor xProj, Tensor h, Tensor c, Tensor weightHh, Tensor biasHh);

    /** The output sequence only, so the layer fits in a {@link Sequential}; zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return run(input, null, null).output();
    }

    /** The full forward: input and initial states (null for zeros) to output and final states. */
    RNNOutput run(Tensor input, Tensor h0, Tensor c0) {
        String name = typeName();
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(name + " expects an input of rank 3 (" + (batchFirst ? "[batch, seq, inputSize]" : "[seq, batch, inputSize]")
                    + ") or rank 2 (unbatched [seq, inputSize]) but input shape is " + Shape.str(input.shape()));
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException(name + " expects last dimension " + inputSize + " (inputSize) but input shape is " + Shape.str(input.shape()));
        }
        boolean batched = input.dim() == 3;
        Tensor x = !batched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;   // [seq, batch, in]
        int steps = x.size(0), batch = x.size(1), dirs = directions();
        if (steps == 0 || batch == 0) {
            throw new IllegalArgumentException(name + " expects a non-empty sequence and batch but input shape is " + Shape.str(input.shape()));
        }
        Tensor h0s = state("h0", h0, batched, batch), c0s = state("c0", c0, batched, batch);
        List<Tensor> hN = new ArrayList<>(), cN = new ArrayList<>();
        Tensor layerIn = x;
        for (int l = 0; l < numLayers; l++) {
            if (l > 0) layerIn = Functional.dropout(layerIn, dropout, isTraining(), gen);
            List<Tensor> outs = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                Tensor h = h0s != null ? h0s.select(0, idx) : Tensor.zeros(batch, hiddenSize);
                Tensor c = !hasCell ? null : c0s != null ? c0s.select(0, idx) : Tensor.zeros(batch, hiddenSize);
                Tensor[] seq = new Tensor[steps];
                for (int s = 0; s < steps; s++) {
                    int t = d == 0 ? s : steps - 1 - s;
                    // the input projection per step, not one GEMM over the whole sequence followed by select(t): the
                    // backward of each select would materialise a zero-filled gradient of the whole [seq, batch, G·hidden]
                    // projection and add it up, seq times per sequence
                    Tensor xProj = Functional.linear(layerIn.select(0, t), weightIh[l][d], biasIh[l][d]);   // [batch, G·hidden]
                    Tensor[] hc = cell(xProj, h, c, weightHh[l][d], biasHh[l][d]);
                    h = hc[0];
                    c = hc[1];
                    seq[t] = h;
                }
                outs.add(Tensor.stack(Arrays.asList(seq), 0));
                hN.add(h);
                if (hasCell) cN.add(c);
            }
            layerIn = dirs == 1 ? outs.getFirst() : Tensor.cat(outs, 2);
        }
        Tensor out = layerIn, hn = Tensor.stack(hN, 0), cn = hasCell ? Tensor.stack(cN, 0) : null;
        if (!batched) {
            out = out.squeeze(1);
            hn = hn.squeeze(1);
            if (cn != null) cn = cn.squeeze(1);
        } else if (batchFirst) {
            out = out.transpose(0, 1);
        }
        return new RNNOutput(out, hn, cn);
    }

    /** Checks an initial state against {@code [D·L, batch, hidden]} (or {@code [D·L, hidden]} unbatched); returns it batched. */
    private Tensor state(String what, Tensor s, boolean batched, int batch) {
        if (s == null) return null;
        int[] expected = batched ? new int[] {directions() * numLayers, batch, hiddenSize} : new int[] {directions() * numLayers, hiddenSize};
        if (!Arrays.equals(s.shape(), expected)) {
            throw new IllegalArgumentException(typeName() + " expects " + what + " of shape " + Shape.str(expected)
                    + " (numLayers·directions, " + (batched ? "batch, " : "") + "hiddenSize) but got " + Shape.str(s.shape()));
        }
        return batched ? s : s.unsqueeze(1);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public boolean hasBias() {
        return bias;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    public double dropout() {
        return dropout;
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (numLayers != 1) sb.append(", num_layers=").append(numLayers);
        sb.append(extraOptions());
        if (!bias) sb.append(", bias=False");
        if (batchFirst) sb.append(", batch_first=True");
        if (dropout != 0) sb.append(", dropout=").append(dropout);
        if (bidirectional) sb.append(", bidirectional=True");
        return sb.toString();
    }

    /** Options a subclass adds to the printed form after {@code num_layers} (RNN's nonlinearity). */
    String extraOptions() {
        return "";
    }
}
