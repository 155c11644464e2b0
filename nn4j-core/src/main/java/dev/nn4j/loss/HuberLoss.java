package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/**
 * Huber loss: with {@code z = |x − y|}, {@code ℓ = 0.5·z²} where {@code z < δ} and {@code δ·(z − 0.5·δ)}
 * elsewhere. Equal to {@code δ·}{@link SmoothL1Loss}{@code (β = δ)}; its gradient saturates at ±δ.
 *
 * <p><b>Shapes</b>: input and target of the same (any) shape; output a scalar, or that shape for
 * {@link Reduction#NONE}. <b>Parameters</b>: {@code reduction} — default {@link Reduction#MEAN};
 * {@code delta > 0} — where the quadratic part ends, default 1.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.HuberLoss.html">torch.nn.HuberLoss</a>;
 * Huber, "Robust Estimation of a Location Parameter", 1964.
 */
public record HuberLoss(Reduction reduction, float delta) implements Loss {

    public HuberLoss {
        LossChecks.nonNull("HuberLoss", reduction);
        if (!(delta > 0f)) throw new IllegalArgumentException("HuberLoss: delta must be positive but is " + delta);
    }

    /** MEAN reduction, δ = 1. */
    public HuberLoss() {
        this(Reduction.MEAN, 1f);
    }

    /** MEAN reduction with the given δ. */
    public HuberLoss(float delta) {
        this(Reduction.MEAN, delta);
    }

    public HuberLoss withReduction(Reduction reduction) {
        return new HuberLoss(reduction, delta);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        LossChecks.sameShape("HuberLoss", input, target);
        Tensor z = input.sub(target).abs();
        Tensor quadratic = z.mul(0.5f).mul(z);
        Tensor linear = z.sub(0.5f * delta).mul(delta);
        return reduction.apply(Tensor.where(z.lt(delta), quadratic, linear));
    }
}
