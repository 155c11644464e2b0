package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Logistic sigmoid, {@code y = 1 / (1 + e⁻ˣ)}, as {@code torch.nn.Sigmoid}.
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Sigmoid.html">torch.nn.Sigmoid</a>.
 */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Functional.sigmoid(x);
    }
}
