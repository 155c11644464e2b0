package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * Adaptive 2-D average pooling to a fixed output size, as {@code torch.nn.AdaptiveAvgPool2d}: output cell
 * {@code (i, j)} averages rows {@code ⌊i·H/outH⌋ … ⌈(i+1)·H/outH⌉ − 1} and the columns found the same way. The
 * windows separate by axis, so {@code y = A_H · x · A_Wᵀ} with fixed averaging matrices {@code A_H} {@code [outH, H]}
 * and {@code A_W} {@code [outW, W]}: two matrix products, whose gradients come from autograd.
 *
 * <p><b>Shapes:</b> input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, outH, outW]}.
 *
 * <p><b>Parameters:</b> none.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveAvgPool2d.html">torch.nn.AdaptiveAvgPool2d</a>.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;

    /** A square output of {@code outputSize × outputSize}. */
    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive but was " + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d expects input [N, C, H, W] or [C, H, W] but input shape is " + Shape.str(x.shape()));
        }
        int H = x.shape()[x.dim() - 2], W = x.shape()[x.dim() - 1];
        return averaging(outH, H).matmul(x).matmul(averaging(outW, W).t());
    }

    /** {@code A[i, h] = 1/|window i|} for {@code h} in output cell {@code i}'s window, else 0. */
    static Tensor averaging(int out, int in) {
        float[] a = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) ((long) i * in / out), end = (int) (((long) (i + 1) * in + out - 1) / out);
            for (int h = start; h < end; h++) a[i * in + h] = 1f / (end - start);
        }
        return Tensor.fromArray(a, out, in);
    }

    /** {@code [outH, outW]}. */
    public int[] outputSize() {
        return new int[] {outH, outW};
    }

    @Override
    protected String extraRepr() {
        return "output_size=(" + outH + ", " + outW + ")";
    }
}
