package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Nearest-neighbour upsampling of the last one or two dimensions, as {@code torch.nn.Upsample(mode='nearest')}:
 * {@code y[n, c, i, j] = x[n, c, src(i, H, outH), src(j, W, outW)]} with PyTorch 1.13's index rule
 * {@code src(d, in, out) = min(⌊d · (in/out)⌋, in − 1)} (the ratio rounded to float32, as PyTorch computes it).
 * Built from primitives, so the gradient (each input cell receives the sum of the output cells copied from it)
 * comes from autograd: an integer scale factor is a reshape, expand and reshape; a target size is an
 * {@link Tensor#indexSelect index selection} per dimension.
 *
 * <p><b>Shapes:</b> input {@code [N, C, L]} or {@code [N, C, H, W]}; output {@code [N, C, outL]} or
 * {@code [N, C, outH, outW]} with {@code out = in · scaleFactor} or the given size.
 *
 * <p><b>Parameters:</b> none. Exactly one of {@code size} and {@code scaleFactor} is given, either as one value for
 * every spatial dimension or one per dimension; scale factors are positive integers (PyTorch also takes fractions).
 *
 * {@snippet :
 * Tensor y = new Upsample(2).forward(Tensor.zeros(8, 16, 7, 7));                           // [8, 16, 14, 14]
 * Tensor z = new Upsample(new int[] {5, 9}, null, "nearest").forward(Tensor.zeros(1, 3, 2, 4)); // [1, 3, 5, 9]
 * }
 * Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Upsample.html">torch.nn.Upsample</a>.
 */
public final class Upsample extends Module {
    private final int[] size, scaleFactor;
    private final String mode;

    /** Every spatial dimension {@code scaleFactor} times larger. */
    public Upsample(int scaleFactor) {
        this(null, new int[] {scaleFactor}, "nearest");
    }

    /**
     * PyTorch's constructor: a target {@code size} or a {@code scaleFactor} (the other null), each one value or one
     * per spatial dimension; {@code mode} must be {@code "nearest"}.
     */
    public Upsample(int[] size, int[] scaleFactor, String mode) {
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException("Upsample: give exactly one of size and scaleFactor but got size "
                    + Arrays.toString(size) + " and scaleFactor " + Arrays.toString(scaleFactor));
        }
        int[] given = size != null ? size : scaleFactor;
        if (given.length < 1 || given.length > 2 || Arrays.stream(given).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("Upsample: " + (size != null ? "size" : "scaleFactor")
                    + " must be one or two positive integers but was " + Arrays.toString(given));
        }
        if (!"nearest".equals(mode)) throw new IllegalArgumentException("Upsample: only mode \"nearest\" is supported but mode was \"" + mode + "\"");
        this.size = size == null ? null : size.clone();
        this.scaleFactor = scaleFactor == null ? null : scaleFactor.clone();
        this.mode = mode;
    }

    @Override
    public Tensor forward(Tensor x) {
        int spatial = x.dim() - 2;
        int[] given = size != null ? size : scaleFactor;
        if ((spatial != 1 && spatial != 2) || (given.length != 1 && given.length != spatial)) {
            throw new IllegalArgumentException("Upsample expects input [N, C, L] or [N, C, H, W]" + (given.length == 2 ? " (two "
                    + (size != null ? "sizes" : "scale factors") + " need [N, C, H, W])" : "") + " but input shape is " + Shape.str(x.shape()));
        }
        int[] in = Arrays.copyOfRange(x.shape(), 2, x.dim()), out = new int[spatial];
        for (int d = 0; d < spatial; d++) {
            int g = given.length == 1 ? given[0] : given[d];
            out[d] = size != null ? g : Math.multiplyExact(in[d], g);
        }
        return size != null ? resize(x, in, out) : repeat(x, in, out);
    }

    /** Integer factors: {@code [N, C, H, W] → [N, C, H, 1, W, 1] → expand [N, C, H, sH, W, sW] → [N, C, outH, outW]}. */
    private static Tensor repeat(Tensor x, int[] in, int[] out) {
        int[] s = x.shape();
        int[] unit = new int[2 + 2 * in.length], wide = new int[unit.length], result = s.clone();
        unit[0] = wide[0] = s[0];
        unit[1] = wide[1] = s[1];
        for (int d = 0; d < in.length; d++) {
            unit[2 + 2 * d] = wide[2 + 2 * d] = in[d];
            unit[3 + 2 * d] = 1;
            wide[3 + 2 * d] = out[d] / in[d];
            result[2 + d] = out[d];
        }
        return x.reshape(unit).expand(wide).reshape(result);
    }

    /** A target size: one index selection per spatial dimension whose size changes. */
    private static Tensor resize(Tensor x, int[] in, int[] out) {
        Tensor y = x;
        for (int d = 0; d < in.length; d++) {
            if (in[d] != out[d]) y = y.indexSelect(2 + d, Tensor.fromArray(sourceIndex(in[d], out[d]), out[d]));
        }
        return y;
    }

    /** PyTorch 1.13's {@code nearest_idx}: {@code min(⌊d · (float) in/out⌋, in − 1)}, in float32 as there. */
    static float[] sourceIndex(int in, int out) {
        float scale = (float) in / out;
        float[] idx = new float[out];
        for (int d = 0; d < out; d++) idx[d] = Math.min((int) Math.floor(d * scale), in - 1);
        return idx;
    }

    /** The target size (one value or one per spatial dimension), or null when a scale factor is set. */
    public int[] size() {
        return size == null ? null : size.clone();
    }

    /** The integer scale factor (one value or one per spatial dimension), or null when a size is set. */
    public int[] scaleFactor() {
        return scaleFactor == null ? null : scaleFactor.clone();
    }

    public String mode() {
        return mode;
    }

    @Override
    protected String extraRepr() {
        String info = size != null ? "size=" + tuple(size, false) : "scale_factor=" + tuple(scaleFactor, true);
        return info + ", mode=" + mode;
    }

    /** Python's repr of an int or a tuple, with {@code .0} for PyTorch's float scale factors. */
    private static String tuple(int[] v, boolean floats) {
        String suffix = floats ? ".0" : "";
        if (v.length == 1) return v[0] + suffix;
        return "(" + v[0] + suffix + ", " + v[1] + suffix + ")";
    }
}
