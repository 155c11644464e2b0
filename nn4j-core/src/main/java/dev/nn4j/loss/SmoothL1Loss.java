package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/**
 * Smooth L1 loss: with {@code z = |x − y|}, {@code ℓ = 0.5·z²/β} where {@code z < β} and {@code z − 0.5·β}
 * elsewhere; {@code β = 0} is {@link L1Loss}, except that, as in PyTorch, the input's gradient at {@code x = y} is −1
 * rather than 0 (the target's is +1 there; PyTorch's backward, which swaps the arguments, gives −1 to both).
 * Quadratic near zero, linear (gradient ±1) beyond {@code β}.
 *
 * <p><b>Shapes</b>: input and target of the same (any) shape; output a scalar, or that shape for
 * {@link Reduction#NONE}. <b>Parameters</b>: {@code reduction} — default {@link Reduction#MEAN};
 * {@code beta ≥ 0} — where the quadratic part ends, default 1.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.SmoothL1Loss.html">torch.nn.SmoothL1Loss</a>;
 * Girshick, "Fast R-CNN", 2015.
 */
public record SmoothL1Loss(Reduction reduction, float beta) implements Loss {

    public SmoothL1Loss {
        LossChecks.nonNull("SmoothL1Loss", reduction);
        if (!(beta >= 0f)) throw new IllegalArgumentException("SmoothL1Loss: beta must be non-negative but is " + beta);
    }

    /** MEAN reduction, β = 1. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1f);
    }

    /** MEAN reduction with the given β. */
    public SmoothL1Loss(float beta) {
        this(Reduction.MEAN, beta);
    }

    public SmoothL1Loss withReduction(Reduction reduction) {
        return new SmoothL1Loss(reduction, beta);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        LossChecks.sameShape("SmoothL1Loss", input, target);
        Tensor d = input.sub(target);
        // β = 0 would divide by zero in the (unselected) quadratic branch and poison its gradient with NaN. PyTorch's
        // backward takes the branch d ≤ −β first, so at d = 0 its subgradient is −1 (where L1Loss gives 0): keep that.
        if (beta == 0f) return reduction.apply(Tensor.where(d.le(0f), d.neg(), d));
        Tensor z = d.abs();
        Tensor quadratic = z.mul(0.5f).mul(z).div(beta);
        Tensor linear = z.sub(0.5f * beta);
        return reduction.apply(Tensor.where(z.lt(beta), quadratic, linear));
    }
}
