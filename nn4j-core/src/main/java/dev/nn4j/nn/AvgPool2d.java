package dev.nn4j.nn;

import dev.nn4j.backend.Window2d;
import dev.nn4j.tensor.Patches;
import dev.nn4j.tensor.Tensor;

/**
 * 2-D average pooling, as {@code torch.nn.AvgPool2d}: {@code y[n, c, oh, ow] = (1/D) Σ_{i,j} x[n, c, oh·s − p + i, ow·s − p + j]},
 * where {@code D = kH·kW} counts the zero padding ({@code countIncludePad}, PyTorch's default) or, without it, only
 * the pixels inside the image. Computed as {@link Patches#unfold} of each channel followed by a sum.
 *
 * <p><b>Shapes:</b> input {@code [N, C, H, W]} or {@code [C, H, W]}; output {@code [N, C, outH, outW]} with
 * {@code outH = ⌊(H + 2p − k) / s⌋ + 1} (floor mode; {@code ceil_mode} and {@code divisor_override} are not supported).
 *
 * <p><b>Parameters:</b> none. The stride defaults to the kernel size; padding must be at most half the kernel.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool2d.html">torch.nn.AvgPool2d</a>.
 */
public final class AvgPool2d extends Module {
    private static final int[] NO_DILATION = {1, 1};
    private final int[] kernelSize, stride, padding;
    private final boolean countIncludePad;

    /** Square window, stride equal to the kernel, no padding. */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, true);
    }

    /** Every option; each size is a {@code [height, width]} pair. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        this.kernelSize = Conv2d.pair("kernelSize", kernelSize, 1);
        this.stride = Conv2d.pair("stride", stride, 1);
        this.padding = Conv2d.pair("padding", padding, 0);
        this.countIncludePad = countIncludePad;
        MaxPool2d.checkHalfKernel("AvgPool2d", this.kernelSize, this.padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor sum = MaxPool2d.pool("AvgPool2d", x, kernelSize, stride, padding, NO_DILATION, 0f, cols -> cols.sum(1));
        if (countIncludePad || (padding[0] == 0 && padding[1] == 0)) return sum.div(kernelSize[0] * kernelSize[1]);
        // the divisor is the number of in-image pixels per window: the same pooling of an all-ones image
        int H = x.shape()[x.dim() - 2], W = x.shape()[x.dim() - 1];
        Window2d w = Window2d.of("AvgPool2d", 1, H, W, kernelSize[0], kernelSize[1], stride[0], stride[1],
                padding[0], padding[0], padding[1], padding[1], 1, 1);
        Tensor count = Patches.unfold(Tensor.ones(1, 1, H, W), w, 0f).sum(1).reshape(w.outH(), w.outW());
        return sum.div(count);
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

    /** Whether the zero padding counts in the divisor. */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=(" + kernelSize[0] + ", " + kernelSize[1] + "), stride=(" + stride[0] + ", " + stride[1]
                + "), padding=(" + padding[0] + ", " + padding[1] + "), count_include_pad=" + (countIncludePad ? "True" : "False");
    }
}
