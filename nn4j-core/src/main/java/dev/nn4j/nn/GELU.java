package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Tensor;

/**
 * Gaussian error linear unit, as {@code torch.nn.GELU}: exact {@code y = x Φ(x)} ({@code approximate = "none"}, the
 * default) or {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))} ({@code "tanh"}). Hendrycks &amp; Gimpel, "Gaussian Error
 * Linear Units" (2016).
 *
 * <p><b>Shapes:</b> any; output has the input's shape. <b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.GELU.html">torch.nn.GELU</a>.
 */
public final class GELU extends Module {
    private final String approximate;

    /** The exact form, {@code approximate = "none"}. */
    public GELU() {
        this("none");
    }

    /** {@code approximate} is {@code "none"} or {@code "tanh"}. */
    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh' but was '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.gelu(x, approximate);
    }

    public String approximate() {
        return approximate;
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
