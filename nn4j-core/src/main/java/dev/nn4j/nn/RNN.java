package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.Locale;

/**
 * Elman recurrent network, as {@code torch.nn.RNN}: per layer, direction and time step
 * {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with {@code act} = tanh (the default) or ReLU.
 *
 * <p><b>Shapes:</b> input {@code [seq, batch, inputSize]} ({@code [batch, seq, inputSize]} with {@code batchFirst},
 * or unbatched {@code [seq, inputSize]}); {@code h0} {@code [D·numLayers, batch, hiddenSize]}; output and final
 * state as described in {@link RNNOutput} ({@code cN} is null).
 *
 * <p><b>Parameters:</b> {@code weight_ih_lk} {@code [hiddenSize, in]}, {@code weight_hh_lk}
 * {@code [hiddenSize, hiddenSize]}, {@code bias_ih_lk}, {@code bias_hh_lk} {@code [hiddenSize]}, with
 * {@code _reverse} copies when bidirectional; all U(−1/√hiddenSize, 1/√hiddenSize) (see {@link RNNBase}).
 *
 * <p>Reference: Elman, "Finding Structure in Time" (1990);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.RNN.html">torch.nn.RNN</a>.
 */
public final class RNN extends RNNBase {
    /** The activation applied at each step, PyTorch's {@code nonlinearity='tanh'} or {@code 'relu'}. */
    public enum Nonlinearity {
        TANH, RELU;

        /** From PyTorch's spelling, {@code "tanh"} or {@code "relu"} (any case). */
        public static Nonlinearity of(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "tanh" -> TANH;
                case "relu" -> RELU;
                default -> throw new IllegalArgumentException("RNN: unknown nonlinearity '" + name + "'; expected 'tanh' or 'relu'");
            };
        }
    }

    private final Nonlinearity nonlinearity;

    /** One tanh layer, with biases, sequence first, global generator. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, Nonlinearity.TANH, true, false, 0, false, Generator.global());
    }

    /**
     * All options in PyTorch's order; {@code gen} draws the initial weights and, in training mode, the dropout
     * masks between layers ({@code dropout} in [0, 1]).
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity, boolean bias, boolean batchFirst,
               double dropout, boolean bidirectional, Generator gen) {
        super(1, false, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen);
        if (nonlinearity == null) throw new IllegalArgumentException("RNN: nonlinearity is null; expected TANH or RELU");
        this.nonlinearity = nonlinearity;
    }

    /** Output and final state {@code hN} from the initial state {@code h0} (null for zeros). */
    public RNNOutput forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }

    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    Tensor[] cell(Tensor xProj, Tensor h, Tensor c, Tensor weightHh, Tensor biasHh) {
        Tensor pre = xProj.add(h.linear(weightHh, biasHh));
        return new Tensor[] {nonlinearity == Nonlinearity.TANH ? pre.tanh() : pre.relu(), null};
    }

    @Override
    String extraOptions() {
        return nonlinearity == Nonlinearity.RELU ? ", nonlinearity='relu'" : "";
    }
}
