package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Merges dimensions {@code startDim … endDim} (inclusive; negative counts from the end) into one, as
 * {@code torch.nn.Flatten}; the defaults keep the batch dimension and flatten the rest.
 *
 * <p><b>Shapes:</b> {@code [N, C, H, W]} becomes {@code [N, C·H·W]} with the defaults.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Flatten.html">torch.nn.Flatten</a>.
 */
public final class Flatten extends Module {
    private final int startDim, endDim;

    /** {@code startDim = 1, endDim = -1}. */
    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.flatten(x, startDim, endDim);
    }

    public int startDim() {
        return startDim;
    }

    public int endDim() {
        return endDim;
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
