package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Leaky ReLU, {@code y = x} for {@code x > 0} and {@code negativeSlope · x} otherwise, as {@code torch.nn.LeakyReLU}
 * (default slope 0.01).
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.LeakyReLU.html">torch.nn.LeakyReLU</a>.
 */
public final class LeakyReLU extends Module {
    private final float negativeSlope;

    /** {@code negativeSlope = 0.01}. */
    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.leakyRelu(x, negativeSlope);
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
