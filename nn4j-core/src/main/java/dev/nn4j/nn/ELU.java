package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Exponential linear unit, {@code y = x} for {@code x > 0} and {@code α(eˣ − 1)} otherwise, as {@code torch.nn.ELU}
 * (default α = 1). Clevert et al., "Fast and Accurate Deep Network Learning by Exponential Linear Units" (2015).
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.ELU.html">torch.nn.ELU</a>.
 */
public final class ELU extends Module {
    private final float alpha;

    /** {@code alpha = 1}. */
    public ELU() {
        this(1f);
    }

    public ELU(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.elu(x, alpha);
    }

    public float alpha() {
        return alpha;
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
