package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * Group normalisation, as {@code torch.nn.GroupNorm}: the channels are split into {@code numGroups} groups and
 * each group of each sample is normalised by its own mean and biased variance,
 * {@code y = (x − E[x]) / √(Var[x] + eps) · weight + bias}, with a per-channel affine. Composed from tensor ops.
 *
 * <p><b>Shapes:</b> input {@code [N, C, *]} with {@code C = numChannels}, output the same shape.
 *
 * <p><b>Parameters</b> (when {@code affine}): {@code weight} and {@code bias} of shape {@code [numChannels]},
 * initialised to ones and zeros.
 *
 * <p>Reference: Wu and He, <i>Group Normalization</i> (2018);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.GroupNorm.html">torch.nn.GroupNorm</a>.
 */
public final class GroupNorm extends Module {
    private final int numGroups, numChannels;
    private final double eps;
    private final Tensor weight, bias;

    /** With {@code eps = 1e-5} and affine parameters. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numChannels (" + numChannels + ") must be a positive multiple of numGroups (" + numGroups + ")");
        }
        if (!(eps > 0)) throw new IllegalArgumentException("GroupNorm: eps must be positive but was " + eps);
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numChannels)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm expects input [N, " + numChannels + ", *] (numChannels = " + numChannels
                    + ") but input shape is " + Shape.str(x.shape()));
        }
        int n = x.size(0);
        // [N, G, C/G · spatial]: each row of the last dimension is one group of one sample
        Tensor g = x.reshape(n, numGroups, -1);
        Tensor centred = g.sub(g.mean(2, true));
        Tensor variance = centred.mul(centred).mean(2, true);
        Tensor y = centred.mul(variance.add((float) eps).rsqrt()).reshape(x.shape());
        if (weight == null) return y;
        int[] channelShape = BatchNorm.channelShape(x.dim(), numChannels);
        return y.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
    }

    public int numGroups() {
        return numGroups;
    }

    public int numChannels() {
        return numChannels;
    }

    public double eps() {
        return eps;
    }

    /** The per-channel scale {@code [numChannels]}, or null without {@code affine}. */
    public Tensor weight() {
        return weight;
    }

    /** The per-channel shift {@code [numChannels]}, or null without {@code affine}. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + pythonFloat(eps) + ", affine=" + (weight != null ? "True" : "False");
    }
}
