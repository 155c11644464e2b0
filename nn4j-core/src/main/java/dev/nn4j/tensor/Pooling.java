package dev.nn4j.tensor;

import dev.nn4j.autograd.Op;
import dev.nn4j.backend.Window2d;

/**
 * The max-pooling primitive ({@link Op.MaxPool2d}): one pass that keeps the index of each window's maximum, and a
 * backward that sends each output gradient to that one input. The composite version (unfold with −∞, then max)
 * built a {@code [P, kH·kW, L]} window tensor and needed five element-wise ops for its backward.
 */
public final class Pooling {
    private Pooling() {}

    /**
     * {@code out[n, c, oh, ow] = max_{i,j} x[n, c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW]} over positions inside
     * the image (NaN wins; the gradient goes to the first maximum, as in PyTorch).
     *
     * <p><b>Shapes:</b> {@code x} {@code [N, C, H, W]} (any layout; {@code w.C()} is not used), result {@code [N, C, outH, outW]}.
     */
    public static Tensor maxPool2d(Tensor x, Window2d w) {
        int[] s = x.shape;
        if (s.length != 4 || s[2] != w.H() || s[3] != w.W()) {
            throw new IllegalArgumentException("maxPool2d: expected input [N, C, " + w.H() + ", " + w.W() + "] for " + w + " but got " + Shape.str(s));
        }
        int P = s[0] * s[1];
        float[] out = new float[P * w.positions()];
        int[] argmax = new int[out.length];
        if (P > 0) TensorOps.kernels().maxPool2d(x.dense(), P, w, out, argmax);
        return Tensor.result(out, new int[] {s[0], s[1], w.outH(), w.outW()}, new Op.MaxPool2d(x, w, argmax));
    }

    /** The backward rule of {@link #maxPool2d}: {@code dX[p, argmax[p, l]] += g[p, l]}. */
    public static Tensor maxPool2dGrad(Op.MaxPool2d op, Tensor g) {
        float[] dX = Buffers.take(op.x().numel());  // the kernel overwrites every element
        int P = op.x().shape[0] * op.x().shape[1];
        if (P > 0) TensorOps.kernels().maxPool2dBackward(g.dense(), op.argmax(), P, op.window(), dX);
        return Tensor.wrap(dX, op.x().shape());
    }
}
