package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.InferenceWeight;
import dev.nn4j.tensor.Tensor;

/**
 * A {@link Linear} fixed for inference, made by {@link Inference#prepare}: {@code y = x Wᵀ + b} with copies of the
 * layer's weight ({@link InferenceWeight}, which also keeps it on a 64-byte boundary for batches of one to three
 * rows) and bias. The same outputs bit for bit, and gradients to the input (for explanations); it has no
 * parameters, so it neither trains nor appears in a state dict, and later changes to the Linear do not reach it.
 *
 * <p><b>Shapes:</b> as {@link Linear}: input {@code [*, inFeatures]}, output {@code [*, outFeatures]}.
 */
public final class InferenceLinear extends Module implements FusesRelu {
    private final InferenceWeight weight;
    private final Tensor bias;

    private InferenceLinear(InferenceWeight weight, Tensor bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** A copy of {@code linear}'s current weight and bias. */
    public static InferenceLinear of(Linear linear) {
        Tensor bias = linear.hasBias() ? Tensor.fromArray(linear.bias().toFloatArray(), linear.outFeatures()) : null;
        return new InferenceLinear(InferenceWeight.copyOf(linear.weight()), bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardFused(x, false);
    }

    /** {@code forward(x)}, then its ReLU when {@code relu}, as one op, as {@link Linear#forwardFused}. */
    @Override
    public Tensor forwardFused(Tensor x, boolean relu) {
        return Functional.linear(x, weight, bias, relu);
    }

    public int inFeatures() {
        return weight.shape()[1];
    }

    public int outFeatures() {
        return weight.shape()[0];
    }

    /** A new tensor with the weight's values, {@code [outFeatures, inFeatures]}. */
    public Tensor weight() {
        return weight.toTensor();
    }

    /** A new tensor with the bias's values, {@code [outFeatures]}, or null when the layer has none. */
    public Tensor bias() {
        return bias == null ? null : Tensor.fromArray(bias.toFloatArray(), outFeatures());
    }

    @Override
    protected String extraRepr() {
        return Linear.extraRepr(inFeatures(), outFeatures(), bias != null);
    }
}
