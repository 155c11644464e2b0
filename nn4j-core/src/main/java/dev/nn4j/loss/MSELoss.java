package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/**
 * Mean squared error, {@code ℓᵢ = (xᵢ − yᵢ)²}, reduced by {@link Reduction}.
 *
 * <p><b>Shapes</b>: input and target of the same (any) shape; output a scalar, or that shape for
 * {@link Reduction#NONE}. <b>Parameters</b>: {@code reduction} — default {@link Reduction#MEAN}.
 * Both input and target receive gradients.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.MSELoss.html">torch.nn.MSELoss</a>.
 */
public record MSELoss(Reduction reduction) implements Loss {

    public MSELoss {
        LossChecks.nonNull("MSELoss", reduction);
    }

    public MSELoss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        LossChecks.sameShape("MSELoss", input, target);
        Tensor d = input.sub(target);
        return reduction.apply(d.mul(d));
    }
}
