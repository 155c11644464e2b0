package dev.nn4j.nn.functional;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.InferenceWeight;
import dev.nn4j.tensor.InvertedDropout;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.function.UnaryOperator;

/**
 * Stateless layer functions, as {@code torch.nn.functional}: the layer modules in {@code dev.nn4j.nn} hold
 * parameters and options and call these. Everything here is composed from tensor ops, so autograd covers it.
 */
public final class Functional {
    private Functional() {}

    /**
     * {@code y = x Wᵀ + b}.
     *
     * <p><b>Shapes:</b> {@code x} is {@code [*, in]} (any rank ≥ 1), {@code weight} is {@code [out, in]},
     * {@code bias} is {@code [out]} or null; {@code y} is {@code [*, out]}.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, false);
    }

    /**
     * {@link #linear(Tensor, Tensor, Tensor)}, then its ReLU when {@code relu}, as one op ({@link Tensor#linear(Tensor,
     * Tensor, boolean)}): the same values and gradients as {@code relu(linear(x, weight, bias))}.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        if (weight.dim() != 2) throw new IllegalArgumentException("linear: weight must have shape [out, in] but has shape " + Shape.str(weight.shape()));
        return linear(x, weight.size(1), weight.size(0), bias, x2 -> x2.linear(weight, bias, relu));
    }

    /**
     * {@link #linear(Tensor, Tensor, Tensor, boolean)} with a weight fixed for inference ({@link InferenceWeight}): the
     * same values bit for bit, and gradients to {@code x} and {@code bias} only.
     */
    public static Tensor linear(Tensor x, InferenceWeight weight, Tensor bias, boolean relu) {
        int[] shape = weight.shape();
        return linear(x, shape[1], shape[0], bias, x2 -> weight.linear(x2, bias, relu));
    }

    /** Checks the shapes and applies {@code product} to {@code x} seen as {@code [rows, in]}. */
    private static Tensor linear(Tensor x, int in, int out, Tensor bias, UnaryOperator<Tensor> product) {
        if (x.dim() == 0 || x.size(-1) != in) {
            throw new IllegalArgumentException("Linear expects last dimension " + in + " (inFeatures) but input shape is " + Shape.str(x.shape())
                    + (x.dim() > 2 ? "; did you forget Flatten?" : ""));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("linear: bias must have shape [" + out + "] but has shape " + Shape.str(bias.shape()));
        }
        // Fold leading dimensions into one so the product is a single GEMM (and dW a single GEMM, not a batched one summed).
        // One fused op (Tensor.linear): a GEMM starting from the bias, and dW written in W's layout in backward.
        int[] shape = x.shape();
        Tensor x2 = x.dim() != 2 ? x.reshape(-1, in) : x;
        Tensor y = product.apply(x2);
        if (x.dim() != 2) {
            shape[shape.length - 1] = out;
            y = y.reshape(shape);
        }
        return y;
    }

    /**
     * Inverted dropout: in training, each element is zeroed with probability {@code p} and the survivors are
     * scaled by {@code 1 / (1 − p)}, so the expected value is unchanged; outside training, {@code x} itself.
     * With {@code p = 1} every element is zeroed. The mask is drawn from {@code gen} in row-major order.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        checkProbability("dropout", p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0f);
        return InvertedDropout.apply(x, p, gen);
    }

    /** Dropout drawing its mask from the global generator. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, Generator.global());
    }

    /** Checks that a dropout probability lies in [0, 1]. */
    public static void checkProbability(String op, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(op + ": probability has to be between 0 and 1, but got " + p);
    }

    /** Flattens dimensions {@code startDim … endDim} (inclusive, negative counts from the end) into one. */
    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        return x.flatten(startDim, endDim);
    }

    // ------------------------------------------------------------------ activations

    /** {@code max(0, x)}. */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** {@code x} where positive, {@code negativeSlope · x} elsewhere. */
    public static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    /** {@code x} where positive, {@code α(eˣ − 1)} elsewhere. */
    public static Tensor elu(Tensor x, float alpha) {
        return x.elu(alpha);
    }

    /**
     * GELU: exact {@code x Φ(x)} for {@code approximate = "none"}, or the tanh approximation
     * {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))} for {@code "tanh"}.
     */
    public static Tensor gelu(Tensor x, String approximate) {
        return switch (approximate) {
            case "none" -> x.gelu();
            case "tanh" -> x.geluTanh();
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh' but was '" + approximate + "'");
        };
    }

    /** SiLU (swish), {@code x σ(x)}. */
    public static Tensor silu(Tensor x) {
        return x.silu();
    }

    /** {@code 1 / (1 + e⁻ˣ)}. */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** {@code exp(xᵢ) / Σⱼ exp(xⱼ)} along {@code dim}. */
    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    /** {@code xᵢ − log Σⱼ exp(xⱼ)} along {@code dim}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }
}
