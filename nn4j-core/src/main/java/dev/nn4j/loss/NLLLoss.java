package dev.nn4j.loss;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * Negative log-likelihood of class-index targets given log-probabilities:
 * {@code ℓₙ = −w[yₙ]·xₙ,yₙ}, with {@code ℓₙ = 0} where {@code yₙ = ignoreIndex}. MEAN divides {@code Σ ℓₙ} by
 * {@code Σ w[yₙ]} over the targets that are not ignored (NaN when every target is ignored), as PyTorch does.
 *
 * <p><b>Shapes</b>: input {@code [N, C]}, {@code [N, C, d1, …]} or unbatched {@code [C]} (log-probabilities,
 * usually from {@code logSoftmax(1)}); target {@code [N]}, {@code [N, d1, …]} or {@code []}, holding integral
 * class indices in {@code [0, C)} or {@code ignoreIndex}; output a scalar, or the target's shape for
 * {@link Reduction#NONE}.
 *
 * <p><b>Parameters</b>: {@code weight} — optional {@code [C]} rescaling per class (null for all ones);
 * {@code ignoreIndex} — a target value that contributes neither loss nor gradient (default −100);
 * {@code reduction} — default {@link Reduction#MEAN}.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.NLLLoss.html">torch.nn.NLLLoss</a>.
 */
public record NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) implements Loss {

    public NLLLoss {
        LossChecks.nonNull("NLLLoss", reduction);
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException("NLLLoss: weight must be 1-D with one entry per class but has shape "
                    + Shape.str(weight.shape()));
        }
    }

    /** PyTorch's defaults: no class weights, ignoreIndex −100, MEAN. */
    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public NLLLoss withWeight(Tensor weight) {
        return new NLLLoss(weight, ignoreIndex, reduction);
    }

    public NLLLoss withIgnoreIndex(int ignoreIndex) {
        return new NLLLoss(weight, ignoreIndex, reduction);
    }

    public NLLLoss withReduction(Reduction reduction) {
        return new NLLLoss(weight, ignoreIndex, reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return ClassTargets.of("NLLLoss", input, target, weight, ignoreIndex, "").nll(input, reduction);
    }
}
