package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Log of the softmax along {@code dim}, {@code yᵢ = xᵢ − log Σⱼ exp(xⱼ)}, computed stably, as {@code torch.nn.LogSoftmax}.
 * The dimension is required; for class scores of shape {@code [N, C]} it is 1 (or -1).
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.LogSoftmax.html">torch.nn.LogSoftmax</a>.
 */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.logSoftmax(x, dim);
    }

    public int dim() {
        return dim;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
