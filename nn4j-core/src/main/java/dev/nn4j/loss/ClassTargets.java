package dev.nn4j.loss;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Validated class-index targets for {@link NLLLoss} and {@link CrossEntropyLoss}: the class dimension, the
 * mask of targets that are not ignored, indices safe to gather (ignored ones replaced by class 0) and the
 * per-target weight {@code w[y]} (0 where ignored). Input {@code [N, C, d1, …]} goes with target
 * {@code [N, d1, …]}, and an unbatched input {@code [C]} with a rank-0 target.
 */
record ClassTargets(int classDim, int classes, Tensor kept, Tensor index, Tensor targetWeight) {

    static ClassTargets of(String loss, Tensor input, Tensor target, Tensor weight, int ignoreIndex, String shapeHint) {
        int[] in = input.shape(), tg = target.shape();
        if (in.length == 0) throw new IllegalArgumentException(loss + ": input needs a class dimension but is a scalar (shape [])");
        int cd = in.length == 1 ? 0 : 1;
        int[] want = new int[in.length - 1];
        for (int i = 0, j = 0; i < in.length; i++) if (i != cd) want[j++] = in[i];
        if (!Arrays.equals(tg, want)) {
            throw new IllegalArgumentException(loss + ": input shape " + Shape.str(in) + " and target shape " + Shape.str(tg)
                    + " do not match: class-index targets need shape " + Shape.str(want) + " (input [N, C, d1, …] with target [N, d1, …])"
                    + shapeHint);
        }
        int c = in[cd];
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new IllegalArgumentException(loss + ": weight must be 1-D with one entry per class (C = " + c + ") but has shape "
                    + Shape.str(weight.shape()));
        }
        float[] t = target.toFloatArray();
        float[] kept = new float[t.length], index = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            float v = t[i];
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException(loss + ": target " + v + " (element " + i + ") is not an integer class index");
            }
            if (v == ignoreIndex) continue;
            if (v < 0 || v >= c) {
                throw new IllegalArgumentException(loss + ": target class index " + LossChecks.number(v) + " (element " + i
                        + ") is out of range [0, " + c + ") for C = " + c + " classes (ignoreIndex is " + ignoreIndex + ")");
            }
            kept[i] = 1f;
            index[i] = v;
        }
        Tensor keptT = Tensor.fromArray(kept, tg), indexT = Tensor.fromArray(index, tg);
        Tensor w = weight == null ? keptT : Tensor.where(keptT, weight.indexSelect(0, indexT.flatten()).reshape(tg), Tensor.scalar(0f));
        return new ClassTargets(cd, c, keptT, indexT, w);
    }

    /** A {@code [C]} class weight reshaped to {@code [1, C, 1, …]} so that it broadcasts along {@code classDim} of a rank-{@code rank} input. */
    static Tensor alongClassDim(Tensor weight, int rank, int classDim) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[classDim] = weight.numel();
        return weight.reshape(s);
    }

    /** {@code x[n, y_n, d…]} for every target, with the class dimension removed. */
    Tensor pick(Tensor x) {
        return x.gather(classDim, index.unsqueeze(classDim)).squeeze(classDim);
    }

    /** Zero where the target is ignored (a select, so NaN or ∞ there do not leak into the loss or its gradient). */
    Tensor maskIgnored(Tensor perTarget) {
        return Tensor.where(kept, perTarget, Tensor.scalar(0f));
    }

    /**
     * PyTorch's {@code nll_loss}: {@code ℓ = −w[y]·logProbs[n, y, d…]}, 0 for ignored targets; MEAN divides the sum
     * by {@code Σ w[y]} over targets not ignored (NaN when all are ignored).
     */
    Tensor nll(Tensor logProbs, Reduction reduction) {
        Tensor losses = maskIgnored(pick(logProbs).mul(targetWeight).neg());
        return reduce(losses, reduction);
    }

    /** Sum, per-target, or the sum divided by the total weight of the targets that are not ignored. */
    Tensor reduce(Tensor losses, Reduction reduction) {
        return switch (reduction) {
            case MEAN -> losses.sum().div(targetWeight.sum());
            case SUM -> losses.sum();
            case NONE -> losses;
        };
    }
}
