package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/**
 * Mean absolute error, {@code ℓᵢ = |xᵢ − yᵢ|}, reduced by {@link Reduction}; the gradient at {@code xᵢ = yᵢ} is 0,
 * as in PyTorch.
 *
 * <p><b>Shapes</b>: input and target of the same (any) shape; output a scalar, or that shape for
 * {@link Reduction#NONE}. <b>Parameters</b>: {@code reduction} — default {@link Reduction#MEAN}.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.L1Loss.html">torch.nn.L1Loss</a>.
 */
public record L1Loss(Reduction reduction) implements Loss {

    public L1Loss {
        LossChecks.nonNull("L1Loss", reduction);
    }

    public L1Loss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        LossChecks.sameShape("L1Loss", input, target);
        return reduction.apply(input.sub(target).abs());
    }
}
