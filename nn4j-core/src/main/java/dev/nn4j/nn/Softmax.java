package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Softmax along {@code dim}, {@code yᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)}, as {@code torch.nn.Softmax}. The dimension is required
 * (PyTorch's implicit choice is deprecated); for class scores of shape {@code [N, C]} it is 1 (or -1).
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Softmax.html">torch.nn.Softmax</a>.
 */
public final class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.softmax(x, dim);
    }

    public int dim() {
        return dim;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
