package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Hyperbolic tangent, {@code y = tanh(x)}, as {@code torch.nn.Tanh}.
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Tanh.html">torch.nn.Tanh</a>.
 */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Functional.tanh(x);
    }
}
