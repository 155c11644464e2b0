package dev.nn4j.tensor;

import dev.nn4j.autograd.Op;
import dev.nn4j.backend.Window2d;

import java.util.Arrays;

/**
 * Sliding-window patches of images: {@link #unfold} (im2col, {@code torch.nn.functional.unfold}) and its adjoint
 * {@link #fold} (col2im, {@code torch.nn.functional.fold}). Convolution is unfold followed by one matrix product;
 * pooling is unfold followed by a reduction. Both are primitive ops, each the other's gradient.
 */
public final class Patches {
    private Patches() {}

    /**
     * {@code [N, C, H, W]} to {@code [N, C·kH·kW, outH·outW]}:
     * {@code out[n, (c·kH + i)·kW + j, oh·outW + ow] = x[n, c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW]},
     * or {@code padValue} outside the image. Any layout of {@code x} is accepted.
     */
    public static Tensor unfold(Tensor x, Window2d w, float padValue) {
        check("unfold", x, new int[] {-1, w.C(), w.H(), w.W()}, w);
        int N = x.shape[0];
        float[] out = new float[N * w.rows() * w.positions()];
        TensorOps.kernels().im2col(x.dense(), N, w, padValue, out);
        return Tensor.result(out, new int[] {N, w.rows(), w.positions()}, new Op.Unfold2d(x, w, padValue));
    }

    /** {@code [N, C·kH·kW, outH·outW]} to {@code [N, C, H, W]}: each column entry is added to the pixel {@link #unfold} read it from. */
    public static Tensor fold(Tensor cols, Window2d w) {
        check("fold", cols, new int[] {-1, w.rows(), w.positions()}, w);
        int N = cols.shape[0];
        float[] out = new float[N * w.C() * w.H() * w.W()];
        TensorOps.kernels().col2im(cols.dense(), N, w, out);
        return Tensor.result(out, new int[] {N, w.C(), w.H(), w.W()}, new Op.Fold2d(cols, w));
    }

    /** {@code expected} with -1 for the batch size, which may be anything. */
    private static void check(String op, Tensor t, int[] expected, Window2d w) {
        boolean ok = t.dim() == expected.length;
        for (int d = 1; ok && d < expected.length; d++) ok = t.shape[d] == expected[d];
        if (!ok) {
            throw new IllegalArgumentException(op + ": expected shape [N, " + Arrays.toString(Arrays.copyOfRange(expected, 1, expected.length)).substring(1)
                    + " for " + w + " but got " + Shape.str(t.shape));
        }
    }
}
