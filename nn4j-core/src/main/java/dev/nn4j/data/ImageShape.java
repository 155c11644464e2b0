package dev.nn4j.data;

import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * The declared shape of one image, {@code [C, H, W]}, that lets the image transforms read a batch as images.
 * A batch may be {@code [B, C, H, W]}, {@code [B, H, W]} (when {@code C = 1}) or flattened {@code [B, C·H·W]}
 * (MNIST as {@code [B, 784]}); in every layout the values of one image are channel-major, then row-major.
 *
 * @param channels {@code C}, at least 1
 * @param height   {@code H} (rows), at least 1
 * @param width    {@code W} (columns), at least 1
 */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageShape: channels, height and width must be at least 1 but were "
                    + channels + ", " + height + ", " + width);
        }
    }

    /** Values per image, {@code C·H·W}. */
    public int values() {
        return channels * height * width;
    }

    /** Pixels per channel, {@code H·W}. */
    public int pixels() {
        return height * width;
    }

    /**
     * The number of images {@code B} in {@code inputs}, after checking that its shape is one of the layouts above.
     * {@code op} names the caller in the error.
     */
    public int images(Tensor inputs, String op) {
        int[] s = inputs.shape();
        boolean ok = switch (s.length) {
            case 2 -> s[1] == values();
            case 3 -> channels == 1 && s[1] == height && s[2] == width;
            case 4 -> s[1] == channels && s[2] == height && s[3] == width;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(s) + " is not a batch of " + this
                    + " images; expected [B, " + channels + ", " + height + ", " + width + "]"
                    + (channels == 1 ? ", [B, " + height + ", " + width + "]" : "") + " or [B, " + values() + "]");
        }
        return s[0];
    }

    /** Work on one image: read {@code in} and write {@code out}, both at {@code [offset, offset + C·H·W)}. */
    @FunctionalInterface
    interface ImageOp {
        void apply(float[] in, float[] out, int offset);
    }

    /**
     * Applies {@code f} to each image of {@code inputs} in batch order (so draws from a generator happen in that
     * order) and returns a new tensor of the same shape; {@code out} starts as a copy of the inputs.
     */
    Tensor map(Tensor inputs, String op, ImageOp f) {
        int batch = images(inputs, op);
        float[] in = inputs.toFloatArray(), out = in.clone();
        for (int b = 0; b < batch; b++) f.apply(in, out, b * values());
        return Tensor.fromArray(out, inputs.shape());
    }

    @Override
    public String toString() {
        return "[" + channels + ", " + height + ", " + width + "]";
    }
}
