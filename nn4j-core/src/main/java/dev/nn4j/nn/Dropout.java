package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * Inverted dropout, as {@code torch.nn.Dropout}: in training mode each element is zeroed with probability
 * {@code p} and the rest are scaled by {@code 1 / (1 − p)}, so {@code E[y] = x}; in evaluation mode it returns
 * its input. The mask comes from the generator given to the constructor, or the global one.
 *
 * <p><b>Shapes:</b> any; output has the input's shape.
 *
 * <p>Reference: Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting" (2014);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Dropout.html">torch.nn.Dropout</a>.
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator gen;

    /** {@code p = 0.5}, global generator. */
    public Dropout() {
        this(0.5);
    }

    /** Drops with probability {@code p} in [0, 1] ({@code p = 1} zeroes everything), using the global generator. */
    public Dropout(double p) {
        this(p, Generator.global());
    }

    public Dropout(double p, Generator gen) {
        Functional.checkProbability("Dropout", p);
        this.p = p;
        this.gen = gen;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.dropout(x, p, isTraining(), gen);
    }

    public double p() {
        return p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
