package dev.nn4j.nn;

import dev.nn4j.backend.Window2d;
import dev.nn4j.nn.init.Init;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * 1-D convolution, as {@code torch.nn.Conv1d}:
 * {@code y[n, o, t] = b[o] + Σ_{c in group(o)} Σ_i W[o, c, i] · x[n, c, t·s − p + i·d]}; computed as a
 * {@link Conv2d} over an image of height 1.
 *
 * <p><b>Shapes:</b> input {@code [N, inChannels, L]} or {@code [inChannels, L]}; output {@code [N, outChannels, outL]}
 * with {@code outL = ⌊(L + 2p − d·(k − 1) − 1) / s⌋ + 1}.
 *
 * <p><b>Parameters:</b> {@code weight} {@code [outChannels, inChannels/groups, k]} and {@code bias} {@code [outChannels]}
 * (absent when {@code bias = false}), both U(−1/√fanIn, 1/√fanIn) with {@code fanIn = inChannels/groups·k}, as PyTorch.
 * Padding is a size or {@code "same"} / {@code "valid"}, as for {@link Conv2d}.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Conv1d.html">torch.nn.Conv1d</a>.
 */
public final class Conv1d extends Module {
    private final int inChannels, outChannels, kernelSize, stride, dilation, groups;
    /** Padding as {@code [left, right]}. */
    private final int[] pad;
    private final String paddingName;
    private final Tensor weight, bias;

    /** Stride 1, no padding, with a bias; initialised from the global generator. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, Generator.global());
    }

    /** Every option, with symmetric zero padding. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, new int[] {padding, padding}, null, dilation, groups, bias, gen);
    }

    /** Every option, with padding {@code "same"} or {@code "valid"}. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, String padding, int dilation, int groups,
                  boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride,
                Conv2d.namedPadding("Conv1d", padding, new int[] {kernelSize}, new int[] {stride}, new int[] {dilation}),
                padding, dilation, groups, bias, gen);
    }

    private Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int[] pad, String paddingName, int dilation,
                   int groups, boolean bias, Generator gen) {
        Conv2d.checkChannels("Conv1d", inChannels, outChannels, groups);
        if (kernelSize <= 0 || stride <= 0 || dilation <= 0 || pad[0] < 0) {
            throw new IllegalArgumentException("Conv1d: kernelSize, stride and dilation must be positive and padding non-negative but were "
                    + kernelSize + ", " + stride + ", " + dilation + " and " + pad[0]);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.dilation = dilation;
        this.groups = groups;
        this.pad = pad;
        this.paddingName = paddingName;
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.layerDefaults(weight, this.bias, gen);
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean unbatched = x.dim() == 2;
        if ((x.dim() != 2 && x.dim() != 3) || x.shape()[x.dim() - 2] != inChannels) {
            throw new IllegalArgumentException("Conv1d expects input [N, " + inChannels + ", L] or [" + inChannels
                    + ", L] (inChannels " + inChannels + ") but input shape is " + Shape.str(x.shape()));
        }
        Tensor x3 = unbatched ? x.unsqueeze(0) : x;
        int N = x3.shape()[0], L = x3.shape()[2];
        Window2d w = Window2d.of("Conv1d", inChannels, 1, L, 1, kernelSize, 1, stride, 0, 0, pad[0], pad[1], 1, dilation);
        Tensor w4 = weight.reshape(outChannels, inChannels / groups, 1, kernelSize);
        Tensor y = Conv2d.convolve(x3.reshape(N, inChannels, 1, L), w4, bias, w, groups).reshape(N, outChannels, w.outW());
        return unbatched ? y.squeeze(0) : y;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    public int dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }

    /** The zero padding before the input; explicit padding is symmetric. For {@code "same"} the padding after may be one larger. */
    public int padding() {
        return pad[0];
    }

    /** {@code "same"} or {@code "valid"} when the padding was given by name, else null. */
    public String paddingName() {
        return paddingName;
    }

    /** The weight parameter, {@code [outChannels, inChannels/groups, kernelSize]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias parameter, {@code [outChannels]}, or null when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ",), stride=(" + stride + ",), padding=("
                + pad[0] + ",), dilation=(" + dilation + ",), groups=" + groups + ", bias=" + (bias != null ? "True" : "False");
    }
}
