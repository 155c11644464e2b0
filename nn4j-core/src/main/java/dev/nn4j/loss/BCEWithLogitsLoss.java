package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/**
 * Binary cross-entropy on logits, {@code ℓᵢ = −wᵢ·(pᵢ·yᵢ·log σ(xᵢ) + (1 − yᵢ)·log(1 − σ(xᵢ)))} with
 * positive-class weight {@code p}, computed as PyTorch does without ever forming {@code σ(x)}: with
 * {@code m = max(−x, 0)} and {@code l = 1 + (p − 1)·y},
 * {@code ℓ = (1 − y)·x + l·(log(e^{−m} + e^{−x−m}) + m)}. Both exponents are ≤ 0, so logits of ±1e4 give exact
 * losses and the gradient {@code (l·σ(x) − p·y)·w}.
 *
 * <p><b>Shapes</b>: input (logits) and target of the same (any) shape; output a scalar, or that shape for
 * {@link Reduction#NONE}. Targets are not range-checked (PyTorch does not either); NaN logits give NaN.
 * <b>Parameters</b>: {@code weight} — optional, broadcast to the input shape, null for none;
 * {@code reduction} — default {@link Reduction#MEAN}; {@code posWeight} — optional weight of positive examples,
 * usually {@code [C]} along the last dimension (e.g. #negatives/#positives per class), null for none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.BCEWithLogitsLoss.html">torch.nn.BCEWithLogitsLoss</a>.
 */
public record BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) implements Loss {

    private static final String NAME = "BCEWithLogitsLoss";

    public BCEWithLogitsLoss {
        LossChecks.nonNull(NAME, reduction);
    }

    /** No weights, MEAN. */
    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss withWeight(Tensor weight) {
        return new BCEWithLogitsLoss(weight, reduction, posWeight);
    }

    public BCEWithLogitsLoss withReduction(Reduction reduction) {
        return new BCEWithLogitsLoss(weight, reduction, posWeight);
    }

    public BCEWithLogitsLoss withPosWeight(Tensor posWeight) {
        return new BCEWithLogitsLoss(weight, reduction, posWeight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        LossChecks.sameShape(NAME, input, target);
        LossChecks.broadcastsTo(NAME, "weight", weight, input.shape());
        LossChecks.broadcastsTo(NAME, "posWeight", posWeight, input.shape());
        Tensor m = input.neg().relu();
        Tensor logSum = m.neg().exp().add(input.neg().sub(m).exp()).log();   // log(e^{−m} + e^{−x−m})
        Tensor loss;
        if (posWeight != null) {
            Tensor logWeight = posWeight.sub(1f).mul(target).add(1f);
            loss = target.rsub(1f).mul(input).add(logWeight.mul(logSum.add(m)));
        } else {
            loss = target.rsub(1f).mul(input).add(m).add(logSum);
        }
        if (weight != null) loss = loss.mul(weight);
        return reduction.apply(loss);
    }
}
