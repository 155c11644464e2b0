package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * Reduces a batch-first sequence to one vector per example, so that a recurrent or attention encoder can feed a
 * classifier: {@code "last"} keeps the final time step, {@code y[b] = x[b, T − 1]} (what PyTorch code writes as
 * {@code out[:, -1]} after an {@code LSTM(batch_first=True)}); {@code "mean"} averages over time,
 * {@code y[b] = (1/T) Σ_t x[b, t]} ({@code out.mean(1)}). PyTorch has no such module; the name and modes are nn4j's.
 *
 * <p><b>Shapes:</b> input {@code [B, T, F]} (batch first); output {@code [B, F]}.
 *
 * <p><b>Parameters:</b> none.
 *
 * {@snippet :
 * Module lstm = new Sequential(new Flatten(1, 2), new LSTM(28, 128, 1, true, true, 0, false, gen),
 *         new SequencePool("last"), new Linear(128, 10));   // [B, 1, 28, 28] → [B, 10]
 * }
 */
public final class SequencePool extends Module {
    private final String mode;

    /** @param mode {@code "last"} or {@code "mean"} */
    public SequencePool(String mode) {
        if (!"last".equals(mode) && !"mean".equals(mode)) {
            throw new IllegalArgumentException("SequencePool: mode must be \"last\" or \"mean\" but was \"" + mode + "\"");
        }
        this.mode = mode;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3) {
            throw new IllegalArgumentException("SequencePool expects a batch-first sequence [B, T, F] but input shape is "
                    + Shape.str(x.shape()) + (x.dim() == 4 ? "; flatten images to rows first with Flatten(1, 2)" : ""));
        }
        return mode.equals("last") ? x.select(1, x.shape()[1] - 1) : x.mean(1);
    }

    public String mode() {
        return mode;
    }

    @Override
    protected String extraRepr() {
        return "mode=" + mode;
    }
}
