package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;

/**
 * Returns its input unchanged, {@code y = x}, as {@code torch.nn.Identity}: a placeholder where a layer is optional.
 *
 * <p><b>Shapes:</b> any; output equals input (the same tensor).
 */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
