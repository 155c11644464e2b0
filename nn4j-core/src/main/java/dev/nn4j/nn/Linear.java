package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.nn.init.Init;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * Fully connected layer, {@code y = x Wᵀ + b}, as {@code torch.nn.Linear}.
 *
 * <p><b>Shapes:</b> input {@code [*, inFeatures]} (any rank ≥ 1), output {@code [*, outFeatures]}.
 *
 * <p><b>Parameters:</b> {@code weight} {@code [outFeatures, inFeatures]} and {@code bias} {@code [outFeatures]}
 * (absent when {@code bias = false}), both initialised as PyTorch does: {@code kaiming_uniform_(a = √5)} on the
 * weight, which is U(−1/√inFeatures, 1/√inFeatures), and the bias from the same distribution.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Linear.html">torch.nn.Linear</a>.
 */
public final class Linear extends Module implements FusesRelu {
    private final int inFeatures, outFeatures;
    private final Tensor weight, bias;

    /** With a bias, initialised from the global generator. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.global());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Generator.global());
    }

    /** Initialised from {@code gen} (weight first, then bias, in row-major order). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: inFeatures and outFeatures must be positive but were " + inFeatures + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.layerDefaults(weight, this.bias, gen);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardFused(x, false);
    }

    /**
     * {@code forward(x)}, then its ReLU when {@code relu}, as one op: the same values and gradients, without the
     * tensor between them. {@link Sequential} calls it for a Linear followed by a {@link ReLU}.
     */
    @Override
    public Tensor forwardFused(Tensor x, boolean relu) {
        return Functional.linear(x, weight, bias, relu);
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    /** The weight parameter, {@code [outFeatures, inFeatures]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias parameter, {@code [outFeatures]}, or null when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    public boolean hasBias() {
        return bias != null;
    }

    @Override
    protected String extraRepr() {
        return extraRepr(inFeatures, outFeatures, bias != null);
    }

    /** PyTorch's {@code Linear.extra_repr}, also for {@link InferenceLinear}. */
    static String extraRepr(int inFeatures, int outFeatures, boolean bias) {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias ? "True" : "False");
    }
}
