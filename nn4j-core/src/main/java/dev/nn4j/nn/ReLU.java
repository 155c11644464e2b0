package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Rectified linear unit, {@code y = max(0, x)}, as {@code torch.nn.ReLU}.
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ReLU.html">torch.nn.ReLU</a>.
 */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Functional.relu(x);
    }
}
