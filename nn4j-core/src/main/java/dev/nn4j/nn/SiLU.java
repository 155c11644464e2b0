package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Sigmoid linear unit (swish), {@code y = x σ(x)}, as {@code torch.nn.SiLU}.
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.SiLU.html">torch.nn.SiLU</a>.
 */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Functional.silu(x);
    }
}
