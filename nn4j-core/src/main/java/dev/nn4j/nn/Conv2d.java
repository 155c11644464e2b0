package dev.nn4j.nn;

import dev.nn4j.backend.Window2d;
import dev.nn4j.nn.init.Init;
import dev.nn4j.tensor.Convolution;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Patches;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation, as in every deep-learning library), as {@code torch.nn.Conv2d}:
 * {@code y[n, o] = b[o] + Σ_{c in group(o)} Σ_{i,j} W[o, c, i, j] · x[n, c, oh·sH − pT + i·dH, ow·sW − pL + j·dW]}.
 * With one group it is the fused {@link Convolution#conv2d} primitive (im2col per image into a reused buffer, one
 * GEMM per image, images spread over threads); with several groups, {@link Patches#unfold im2col} followed by one
 * batched matrix product per group.
 *
 * <p><b>Shapes:</b> input {@code [N, inChannels, H, W]} or unbatched {@code [inChannels, H, W]}; output
 * {@code [N, outChannels, outH, outW]} with {@code outH = ⌊(H + pT + pB − dH·(kH − 1) − 1) / sH⌋ + 1} (likewise outW).
 *
 * <p><b>Parameters:</b> {@code weight} {@code [outChannels, inChannels/groups, kH, kW]} and {@code bias}
 * {@code [outChannels]} (absent when {@code bias = false}), initialised as PyTorch: {@code kaiming_uniform_(a = √5)},
 * i.e. U(−1/√fanIn, 1/√fanIn) with {@code fanIn = inChannels/groups·kH·kW}, for both.
 *
 * <p><b>Padding:</b> explicit sizes (zeros), or {@code "valid"} (none) and {@code "same"} (output as large as the input;
 * stride 1 only; an odd total puts the extra row/column at the bottom/right, as PyTorch does).
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Conv2d.html">torch.nn.Conv2d</a>.
 */
public final class Conv2d extends Module {
    private final int inChannels, outChannels, groups;
    private final int[] kernelSize, stride, dilation;
    /** Padding as {@code [top, bottom, left, right]}. */
    private final int[] pad;
    private final String paddingName;
    private final Tensor weight, bias;

    /** Square kernel, stride 1, no padding, with a bias; initialised from the global generator. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    /** Square kernel with the given stride and symmetric zero padding, with a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {1, 1}, 1, true, Generator.global());
    }

    /** Every option, with explicit symmetric padding {@code [padH, padW]}; each pair is {@code [height, width]}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, pair("padding", padding, 0), null, dilation, groups, bias, gen);
    }

    /** Every option, with padding {@code "same"} or {@code "valid"}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation,
                  int groups, boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, null, padding, dilation, groups, bias, gen);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingName,
                   int[] dilation, int groups, boolean bias, Generator gen) {
        this.kernelSize = pair("kernelSize", kernelSize, 1);
        this.stride = pair("stride", stride, 1);
        this.dilation = pair("dilation", dilation, 1);
        checkChannels("Conv2d", inChannels, outChannels, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.paddingName = paddingName;
        this.pad = paddingName == null ? new int[] {padding[0], padding[0], padding[1], padding[1]}
                : namedPadding("Conv2d", paddingName, this.kernelSize, this.stride, this.dilation);
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, this.kernelSize[0], this.kernelSize[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.layerDefaults(weight, this.bias, gen);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardFused(x, false, null);
    }

    /**
     * {@code forward(x)}, then its ReLU when {@code relu}, then {@code pool} of that when given, as one op when the
     * convolution has one group ({@link Convolution#conv2d(Tensor, Tensor, Tensor, Window2d, boolean, Window2d)}): the
     * same values and gradients, without the full-size tensors between them. {@link Sequential} calls it for a Conv2d
     * followed by a {@link ReLU}, a {@link MaxPool2d}, or both in that order.
     */
    public Tensor forwardFused(Tensor x, boolean relu, MaxPool2d pool) {
        boolean unbatched = x.dim() == 3;
        if ((x.dim() != 3 && x.dim() != 4) || x.shape()[x.dim() - 3] != inChannels) {
            throw new IllegalArgumentException("Conv2d expects input [N, " + inChannels + ", H, W] or [" + inChannels
                    + ", H, W] (inChannels " + inChannels + ") but input shape is " + Shape.str(x.shape()));
        }
        Tensor x4 = unbatched ? x.unsqueeze(0) : x;
        int[] s = x4.shape();
        Window2d w = Window2d.of("Conv2d", inChannels, s[2], s[3], kernelSize[0], kernelSize[1], stride[0], stride[1],
                pad[0], pad[1], pad[2], pad[3], dilation[0], dilation[1]);
        Tensor y;
        if (groups == 1) {
            y = Convolution.conv2d(x4, weight, bias, w, relu, pool == null ? null : pool.window(w.outH(), w.outW()));
        } else {
            y = convolve(x4, weight, bias, w, groups);
            if (relu) y = y.relu();
            if (pool != null) y = pool.forward(y);
        }
        return unbatched ? y.squeeze(0) : y;
    }

    /**
     * {@code x} {@code [N, C, H, W]} convolved with {@code weight} {@code [O, C/groups, kH, kW]} over the window {@code w}:
     * the fused primitive for one group; otherwise the columns {@code [N, groups, C/groups·kH·kW, L]} are multiplied by
     * the weight {@code [groups, O/groups, C/groups·kH·kW]}.
     */
    static Tensor convolve(Tensor x, Tensor weight, Tensor bias, Window2d w, int groups) {
        if (groups == 1) return Convolution.conv2d(x, weight, bias, w);
        int N = x.shape()[0], O = weight.shape()[0], K = w.rows() / groups;
        Tensor cols = Patches.unfold(x, w, 0f).reshape(N, groups, K, w.positions());
        Tensor y = weight.reshape(groups, O / groups, K).matmul(cols).reshape(N, O, w.outH(), w.outW());
        return bias == null ? y : y.add(bias.reshape(1, O, 1, 1));
    }

    static void checkChannels(String layer, int inChannels, int outChannels, int groups) {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0) {
            throw new IllegalArgumentException(layer + ": inChannels, outChannels and groups must be positive but were "
                    + inChannels + ", " + outChannels + " and " + groups);
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(layer + ": inChannels " + inChannels + " and outChannels " + outChannels
                    + " must both be divisible by groups " + groups);
        }
    }

    /** A {@code [height, width]} pair of sizes at least {@code min}. */
    static int[] pair(String name, int[] values, int min) {
        if (values == null || values.length != 2 || values[0] < min || values[1] < min) {
            throw new IllegalArgumentException("Conv2d: " + name + " must be two sizes of at least " + min + " but was " + Arrays.toString(values));
        }
        return values.clone();
    }

    /** {@code [top, bottom, left, right]} for "valid" or "same" (stride 1 only), per axis; PyTorch puts an odd extra at the end. */
    static int[] namedPadding(String layer, String padding, int[] kernelSize, int[] stride, int[] dilation) {
        int n = kernelSize.length;
        int[] pad = new int[2 * n];
        switch (padding) {
            case "valid" -> { }
            case "same" -> {
                for (int d = 0; d < n; d++) {
                    if (stride[d] != 1) {
                        throw new IllegalArgumentException(layer + ": padding \"same\" needs stride 1 but stride is " + Arrays.toString(stride));
                    }
                    int total = dilation[d] * (kernelSize[d] - 1);
                    pad[2 * d] = total / 2;
                    pad[2 * d + 1] = total - total / 2;
                }
            }
            default -> throw new IllegalArgumentException(layer + ": padding must be \"same\", \"valid\" or sizes but was \"" + padding + "\"");
        }
        return pad;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int groups() {
        return groups;
    }

    /** {@code [kH, kW]}. */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** {@code [sH, sW]}. */
    public int[] stride() {
        return stride.clone();
    }

    /** {@code [dH, dW]}. */
    public int[] dilation() {
        return dilation.clone();
    }

    /**
     * The zero padding before the input, {@code [top, left]}; explicit padding is symmetric, so this is the
     * constructor's {@code [padH, padW]}. For {@code "same"} the padding after may be one larger (see {@link #paddingName}).
     */
    public int[] padding() {
        return new int[] {pad[0], pad[2]};
    }

    /** {@code "same"} or {@code "valid"} when the padding was given by name, else null. */
    public String paddingName() {
        return paddingName;
    }

    /** The weight parameter, {@code [outChannels, inChannels/groups, kH, kW]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias parameter, {@code [outChannels]}, or null when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        String p = paddingName != null ? "'" + paddingName + "'" : "(" + pad[0] + ", " + pad[2] + ")";
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize[0] + ", " + kernelSize[1] + "), stride=("
                + stride[0] + ", " + stride[1] + "), padding=" + p + ", dilation=(" + dilation[0] + ", " + dilation[1]
                + "), groups=" + groups + ", bias=" + (bias != null ? "True" : "False");
    }
}
