package dev.nn4j.nn;

import dev.nn4j.backend.Window2d;
import dev.nn4j.tensor.Patches;
import dev.nn4j.tensor.Pooling;
import dev.nn4j.tensor.Tensor;

/**
 * 2-D max pooling, as {@code torch.nn.MaxPool2d}: {@code y[n, c, oh, ow] = max_{i,j} x[n, c, oh·s − p + i·d, ow·s − p + j·d]},
 * with −∞ padding. Computed by the fused {@link Pooling#maxPool2d} primitive; the gradient goes to the first maximum of
 * each window, as in PyTorch.
 *
 * <p><b>Shapes:</b> input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, outH, outW]} with
 * {@code outH = ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1} (floor mode; {@code ceil_mode} is not supported).
 *
 * <p><b>Parameters:</b> none. The stride defaults to the kernel size; padding must be at most half the kernel.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool2d.html">torch.nn.MaxPool2d</a>.
 */
public final class MaxPool2d extends Module {
    private final int[] kernelSize, stride, padding, dilation;

    /** Square window, stride equal to the kernel, no padding. */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1});
    }

    /** Every option; each is a {@code [height, width]} pair. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        this.kernelSize = Conv2d.pair("kernelSize", kernelSize, 1);
        this.stride = Conv2d.pair("stride", stride, 1);
        this.padding = Conv2d.pair("padding", padding, 0);
        this.dilation = Conv2d.pair("dilation", dilation, 1);
        checkHalfKernel("MaxPool2d", this.kernelSize, this.padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("MaxPool2d expects input [N, C, H, W] or [C, H, W] but input shape is "
                    + dev.nn4j.tensor.Shape.str(x.shape()));
        }
        // the fused primitive over all planes; one pass, and the backward sends each gradient to the window's first maximum
        int[] shape = x.shape();
        int r = shape.length;
        Tensor y = Pooling.maxPool2d(x.dim() == 4 ? x : x.unsqueeze(0), window(shape[r - 2], shape[r - 1]));
        return x.dim() == 4 ? y : y.squeeze(0);
    }

    /** The pooling window over planes of {@code H × W}. */
    Window2d window(int H, int W) {
        return Window2d.of("MaxPool2d", 1, H, W, kernelSize[0], kernelSize[1], stride[0], stride[1],
                padding[0], padding[0], padding[1], padding[1], dilation[0], dilation[1]);
    }

    static void checkHalfKernel(String layer, int[] kernelSize, int[] padding) {
        if (padding[0] > kernelSize[0] / 2 || padding[1] > kernelSize[1] / 2) {
            throw new IllegalArgumentException(layer + ": padding " + java.util.Arrays.toString(padding)
                    + " must be at most half the kernel size " + java.util.Arrays.toString(kernelSize));
        }
    }

    /**
     * Pools every channel of {@code x} ({@code [N, C, H, W]} or {@code [C, H, W]}) independently: the channels are
     * folded into the batch, unfolded with {@code padValue}, and {@code reduce} turns the windows {@code [N·C, kH·kW, L]} into {@code [N·C, L]}.
     */
    static Tensor pool(String layer, Tensor x, int[] k, int[] s, int[] p, int[] d, float padValue,
                       java.util.function.UnaryOperator<Tensor> reduce) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException(layer + " expects input [N, C, H, W] or [C, H, W] but input shape is "
                    + dev.nn4j.tensor.Shape.str(x.shape()));
        }
        int[] shape = x.shape();
        int r = shape.length, H = shape[r - 2], W = shape[r - 1], planes = x.numel() / (H * W);
        Window2d w = Window2d.of(layer, 1, H, W, k[0], k[1], s[0], s[1], p[0], p[0], p[1], p[1], d[0], d[1]);
        Tensor y = reduce.apply(Patches.unfold(x.reshape(planes, 1, H, W), w, padValue));
        int[] out = shape.clone();
        out[r - 2] = w.outH();
        out[r - 1] = w.outW();
        return y.reshape(out);
    }

    /** {@code [kH, kW]}. */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** {@code [sH, sW]}. */
    public int[] stride() {
        return stride.clone();
    }

    /** {@code [padH, padW]}, symmetric. */
    public int[] padding() {
        return padding.clone();
    }

    /** {@code [dH, dW]}. */
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=(" + kernelSize[0] + ", " + kernelSize[1] + "), stride=(" + stride[0] + ", " + stride[1]
                + "), padding=(" + padding[0] + ", " + padding[1] + "), dilation=(" + dilation[0] + ", " + dilation[1] + "), ceil_mode=False";
    }
}
