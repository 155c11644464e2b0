package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities: {@code ℓᵢ = −wᵢ·(yᵢ·log xᵢ + (1 − yᵢ)·log(1 − xᵢ))}, each log clamped
 * below at −100 as PyTorch does, so that {@code x = 0} or {@code 1} gives a loss of at most 100 instead of ∞.
 * Prefer {@link BCEWithLogitsLoss} on logits: it is stable where {@code sigmoid} has already rounded to 0 or 1.
 *
 * <p>The gradient is autograd's: {@code ∂ℓ/∂x = w·(x − y)/(x(1 − x))} inside (0, 1), as PyTorch. Where a log
 * is clamped (x exactly 0 or 1) that term is flat and contributes 0, whereas PyTorch's hand-written backward
 * returns ±1e12 from an ε-guarded denominator; the loss values agree everywhere.
 *
 * <p><b>Shapes</b>: input and target of the same (any) shape, both in [0, 1] (checked; NaN is rejected);
 * output a scalar, or that shape for {@link Reduction#NONE}.
 * <b>Parameters</b>: {@code weight} — optional, broadcast to the input shape (e.g. {@code [C]} per column),
 * null for none; {@code reduction} — default {@link Reduction#MEAN} (an unweighted mean of {@code wᵢ·…}).
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.BCELoss.html">torch.nn.BCELoss</a>.
 */
public record BCELoss(Tensor weight, Reduction reduction) implements Loss {

    private static final String NAME = "BCELoss";

    public BCELoss {
        LossChecks.nonNull(NAME, reduction);
    }

    /** No weight, MEAN. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss withWeight(Tensor weight) {
        return new BCELoss(weight, reduction);
    }

    public BCELoss withReduction(Reduction reduction) {
        return new BCELoss(weight, reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        LossChecks.sameShape(NAME, input, target);
        LossChecks.broadcastsTo(NAME, "weight", weight, input.shape());
        LossChecks.inUnitInterval(NAME, "input", input);
        LossChecks.inUnitInterval(NAME, "target", target);
        // PyTorch: (y − 1)·max(log(1 − x), −100) − y·max(log x, −100)
        Tensor loss = target.sub(1f).mul(clampedLog(input.rsub(1f))).sub(target.mul(clampedLog(input)));
        if (weight != null) loss = loss.mul(weight);
        return reduction.apply(loss);
    }

    /**
     * {@code max(log p, −100)} for {@code p ∈ [0, 1]}. The log reads 1 where {@code p = 0}, so that the
     * unselected branch is finite and its zero gradient stays zero instead of becoming 0/0.
     */
    private static Tensor clampedLog(Tensor p) {
        Tensor positive = p.gt(0f);
        Tensor log = Tensor.where(positive, p, Tensor.scalar(1f)).log();
        return Tensor.where(positive.mul(log.ge(-100f)), log, Tensor.scalar(-100f));
    }
}
