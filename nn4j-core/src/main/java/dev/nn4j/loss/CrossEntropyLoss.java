package dev.nn4j.loss;

import dev.nn4j.tensor.CrossEntropy;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Cross-entropy between logits and targets, {@code logSoftmax} followed by the negative log-likelihood, as
 * PyTorch 1.13's {@code CrossEntropyLoss}. The target decides the form:
 * <ul>
 * <li><b>class indices</b> (target shape = input shape without the class dimension):
 *     {@code ℓₙ = −w[yₙ]·log softmax(xₙ)[yₙ]}; with label smoothing {@code ε},
 *     {@code ℓ = (1−ε)·nll + (ε/C)·Σ_c −w[c]·log softmax(x)[c]}, the second term zeroed for ignored targets.
 *     MEAN divides both sums by {@code Σ w[yₙ]} over targets that are not {@code ignoreIndex}.</li>
 * <li><b>class probabilities</b> (target shape = input shape): {@code ℓₙ = −Σ_c w[c]·pₙ,c·log softmax(xₙ)[c]}
 *     with {@code p = (1−ε)·target + ε/C}; MEAN divides by the number of rows {@code N·d1·…} (not by the weights).
 *     {@code ignoreIndex} must be negative here (it cannot apply), as in PyTorch.</li>
 * </ul>
 * The log-softmax subtracts the row maximum, so logits of ±1e4 give finite losses; NaN logits give a NaN loss.
 * Logits {@code [N, C]} with class indices, no weights, no label smoothing and a MEAN or SUM reduction (a classifier's
 * training loss) take one fused op, {@link CrossEntropy#loss}, with the same values and gradient bit for bit.
 *
 * <p><b>Shapes</b>: input {@code [N, C]}, {@code [N, C, d1, …]} or unbatched {@code [C]} (raw logits);
 * target {@code [N]}, {@code [N, d1, …]} or {@code []} of integral class indices, or the input's shape for
 * probabilities; output a scalar, or for {@link Reduction#NONE} the input's shape without the class dimension.
 *
 * <p><b>Parameters</b>: {@code weight} — optional {@code [C]} rescaling per class (null for all ones);
 * {@code ignoreIndex} — a class-index target value that contributes neither loss nor gradient (default −100);
 * {@code reduction} — default {@link Reduction#MEAN}; {@code labelSmoothing} — {@code ε ∈ [0, 1]}, default 0.
 * {@snippet :
 * Tensor loss = new CrossEntropyLoss().withLabelSmoothing(0.1f).forward(logits, labels);
 * }
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.CrossEntropyLoss.html">torch.nn.CrossEntropyLoss</a>;
 * label smoothing: Szegedy et al., "Rethinking the Inception Architecture", 2016.
 */
public record CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, float labelSmoothing) implements Loss {

    private static final String NAME = "CrossEntropyLoss";

    public CrossEntropyLoss {
        LossChecks.nonNull(NAME, reduction);
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException(NAME + ": labelSmoothing must lie in [0, 1] but is " + labelSmoothing);
        }
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException(NAME + ": weight must be 1-D with one entry per class but has shape "
                    + Shape.str(weight.shape()));
        }
    }

    /** PyTorch's defaults: no class weights, ignoreIndex −100, MEAN, no label smoothing. */
    public CrossEntropyLoss() {
        this(null, -100, Reduction.MEAN, 0f);
    }

    public CrossEntropyLoss withWeight(Tensor weight) {
        return new CrossEntropyLoss(weight, ignoreIndex, reduction, labelSmoothing);
    }

    public CrossEntropyLoss withIgnoreIndex(int ignoreIndex) {
        return new CrossEntropyLoss(weight, ignoreIndex, reduction, labelSmoothing);
    }

    public CrossEntropyLoss withReduction(Reduction reduction) {
        return new CrossEntropyLoss(weight, ignoreIndex, reduction, labelSmoothing);
    }

    public CrossEntropyLoss withLabelSmoothing(float labelSmoothing) {
        return new CrossEntropyLoss(weight, ignoreIndex, reduction, labelSmoothing);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        if (input.dim() > 0 && Arrays.equals(input.shape(), target.shape())) return probabilities(input, target);
        ClassTargets ct = ClassTargets.of(NAME, input, target, weight, ignoreIndex,
                ", or class-probability targets the input's shape " + Shape.str(input.shape()));
        if (labelSmoothing == 0f && weight == null && reduction != Reduction.NONE && input.dim() == 2 && input.numel() > 0) {
            // one fused op, the same bits as the composition below
            return CrossEntropy.loss(input, ct.index().toFloatArray(), ct.kept().toFloatArray(), reduction == Reduction.MEAN);
        }
        Tensor logProbs = input.logSoftmax(ct.classDim());
        Tensor nll = ct.nll(logProbs, reduction);
        if (labelSmoothing == 0f) return nll;
        // smoothing term: −Σ_c w[c]·log p[c] per target, zero where ignored, reduced like the nll
        Tensor weighted = weight == null ? logProbs : logProbs.mul(ClassTargets.alongClassDim(weight, input.dim(), ct.classDim()));
        Tensor smooth = ct.reduce(ct.maskIgnored(weighted.sum(ct.classDim()).neg()), reduction);
        return nll.mul((float) (1.0 - labelSmoothing)).add(smooth.mul((float) ((double) labelSmoothing / ct.classes())));
    }

    /** Class-probability targets: {@code −Σ_c w[c]·p[c]·log softmax(x)[c]} per row. */
    private Tensor probabilities(Tensor input, Tensor target) {
        if (ignoreIndex >= 0) {
            throw new IllegalArgumentException(NAME + ": ignoreIndex (" + ignoreIndex + ") is not supported with class-probability targets"
                    + " (target shape " + Shape.str(target.shape()) + " equals the input shape); use a negative ignoreIndex");
        }
        int cd = input.dim() == 1 ? 0 : 1;
        int c = input.size(cd);
        if (weight != null && weight.size(0) != c) {
            throw new IllegalArgumentException(NAME + ": weight must be 1-D with one entry per class (C = " + c + ") but has shape "
                    + Shape.str(weight.shape()));
        }
        Tensor logProbs = input.logSoftmax(cd);
        Tensor p = labelSmoothing > 0f
                ? target.mul((float) (1.0 - labelSmoothing)).add((float) ((double) labelSmoothing / c))
                : target;
        Tensor terms = logProbs.mul(p);
        if (weight != null) terms = terms.mul(ClassTargets.alongClassDim(weight, input.dim(), cd));
        return switch (reduction) {
            case MEAN -> terms.sum().neg().div(c == 0 ? 0f : (float) (input.numel() / c));
            case SUM -> terms.sum().neg();
            case NONE -> terms.sum(cd).neg();
        };
    }
}
