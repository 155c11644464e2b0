package dev.nn4j.nn.init;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.function.DoubleSupplier;

/**
 * Parameter initialisers, as {@code torch.nn.init}: each fills a tensor in place (bypassing autograd, so a
 * parameter stays a leaf), draws from the given {@link Generator} (the global one when none is passed) in
 * row-major order, and returns the tensor.
 */
public final class Init {
    /** Which fan the Kaiming initialisers preserve the variance of: the forward pass (fan in) or the backward pass (fan out). */
    public enum FanMode { FAN_IN, FAN_OUT }

    /**
     * The non-linearities {@link #calculateGain} knows, as PyTorch's {@code nonlinearity} strings in Java casing;
     * {@link #of} parses PyTorch's spelling ({@code "leaky_relu"}).
     */
    public enum Nonlinearity {
        LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D,
        SIGMOID, TANH, RELU, LEAKY_RELU, SELU;

        /** The constant for PyTorch's name, e.g. {@code "leaky_relu"} gives {@link #LEAKY_RELU}. */
        public static Nonlinearity of(String name) {
            for (Nonlinearity n : values()) {
                if (n.name().equalsIgnoreCase(name)) return n;
            }
            throw new IllegalArgumentException("Unsupported nonlinearity '" + name + "'; expected one of " + java.util.Arrays.toString(values()).toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Init() {}

    // ------------------------------------------------------------------ gains and fans

    /** {@link #calculateGain(Nonlinearity, double)} with PyTorch's default parameter (negative slope 0.01 for leaky ReLU). */
    public static double calculateGain(Nonlinearity nonlinearity) {
        return calculateGain(nonlinearity, 0.01);
    }

    /**
     * The recommended gain for a non-linearity, as {@code torch.nn.init.calculate_gain}: 1 for linear, the
     * convolutions and sigmoid; 5/3 for tanh; √2 for ReLU; √(2 / (1 + slope²)) for leaky ReLU, where {@code param}
     * is the negative slope; 3/4 for SELU. {@code param} is ignored by all but leaky ReLU.
     */
    public static double calculateGain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
            case SELU -> 3.0 / 4;
        };
    }

    /** {@code size(1) × receptive field} of a tensor of rank ≥ 2 (the receptive field is the product of the sizes after the second). */
    public static int fanIn(Tensor t) {
        int r = receptiveField(t, "fanIn");
        return t.size(1) * r;
    }

    /** {@code size(0) × receptive field} of a tensor of rank ≥ 2. */
    public static int fanOut(Tensor t) {
        int r = receptiveField(t, "fanOut");
        return t.size(0) * r;
    }

    private static int receptiveField(Tensor t, String op) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException(op + ": fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, but the shape is " + Shape.str(t.shape()));
        }
        int r = 1;
        for (int d = 2; d < t.dim(); d++) r *= t.size(d);
        return r;
    }

    private static int fan(Tensor t, FanMode mode) {
        return mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
    }

    // ------------------------------------------------------------------ plain distributions

    /** Fills with U(a, b) from the global generator. */
    public static Tensor uniform(Tensor t, double a, double b) {
        return uniform(t, a, b, Generator.global());
    }

    /** Fills with U(a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator gen) {
        if (!(a <= b)) throw new IllegalArgumentException("uniform: lower bound " + a + " must not exceed upper bound " + b);
        return fill(t, () -> a + (b - a) * gen.nextDouble());
    }

    /** Fills with N(mean, std²) from the global generator. */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, Generator.global());
    }

    /** Fills with N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be non-negative but was " + std);
        return fill(t, () -> mean + std * gen.nextGaussian());
    }

    /** Fills with {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        return fill(t, () -> value);
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    // ------------------------------------------------------------------ Xavier (Glorot)

    /** {@link #xavierUniform(Tensor, double, Generator)} with gain 1 and the global generator. */
    public static Tensor xavierUniform(Tensor t) {
        return xavierUniform(t, 1.0, Generator.global());
    }

    public static Tensor xavierUniform(Tensor t, double gain) {
        return xavierUniform(t, gain, Generator.global());
    }

    /**
     * Glorot &amp; Bengio (2010): U(−a, a) with {@code a = gain · √(6 / (fanIn + fanOut))}, as
     * {@code torch.nn.init.xavier_uniform_}.
     */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        double bound = Math.sqrt(3.0) * xavierStd(t, gain);
        return uniform(t, -bound, bound, gen);
    }

    /** {@link #xavierNormal(Tensor, double, Generator)} with gain 1 and the global generator. */
    public static Tensor xavierNormal(Tensor t) {
        return xavierNormal(t, 1.0, Generator.global());
    }

    public static Tensor xavierNormal(Tensor t, double gain) {
        return xavierNormal(t, gain, Generator.global());
    }

    /** N(0, std²) with {@code std = gain · √(2 / (fanIn + fanOut))}, as {@code torch.nn.init.xavier_normal_}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        return normal(t, 0, xavierStd(t, gain), gen);
    }

    private static double xavierStd(Tensor t, double gain) {
        return gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t)));
    }

    // ------------------------------------------------------------------ Kaiming (He)

    /**
     * PyTorch's {@code reset_parameters} of {@code Linear} and {@code ConvNd}: {@code kaimingUniform(a = √5)} on the
     * weight, which is U(−1/√fanIn, 1/√fanIn), then the bias (when not null) from U(−1/√fanIn, 1/√fanIn).
     */
    public static void layerDefaults(Tensor weight, Tensor bias, Generator gen) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias != null) {
            double bound = 1 / Math.sqrt(fanIn(weight));
            uniform(bias, -bound, bound, gen);
        }
    }

    /** PyTorch's defaults: {@code a = 0}, fan in, leaky ReLU (which with {@code a = 0} is ReLU's gain √2); global generator. */
    public static Tensor kaimingUniform(Tensor t) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, Generator.global());
    }

    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        return kaimingUniform(t, a, mode, nonlinearity, Generator.global());
    }

    /**
     * He et al. (2015): U(−bound, bound) with {@code bound = √3 · gain / √fan}, {@code gain = calculateGain(nonlinearity, a)}
     * ({@code a} is the negative slope of a following leaky ReLU), as {@code torch.nn.init.kaiming_uniform_}.
     * A tensor with no elements is left as it is.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        if (t.numel() == 0) return t;
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, gen);
    }

    /** PyTorch's defaults: {@code a = 0}, fan in, leaky ReLU; global generator. */
    public static Tensor kaimingNormal(Tensor t) {
        return kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, Generator.global());
    }

    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        return kaimingNormal(t, a, mode, nonlinearity, Generator.global());
    }

    /** N(0, std²) with {@code std = gain / √fan}, as {@code torch.nn.init.kaiming_normal_}. A tensor with no elements is left as it is. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        if (t.numel() == 0) return t;
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), gen);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        return calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
    }

    // ------------------------------------------------------------------ filling

    /** Writes {@code next} for every element in row-major order ({@link Tensor#copyFrom} also handles views). */
    private static Tensor fill(Tensor t, DoubleSupplier next) {
        float[] values = new float[t.numel()];
        for (int i = 0; i < values.length; i++) values[i] = (float) next.getAsDouble();
        return t.copyFrom(Tensor.fromArray(values, t.shape()));
    }
}
