package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * Mirrors each image left to right with probability {@code p}, as torchvision's {@code RandomHorizontalFlip}:
 * {@code out[c, y, x] = in[c, y, W-1-x]}. Off for digits (a mirrored 2 is not a 2); useful for clothing.
 * Each image, in batch order, draws one {@code u ~ U[0, 1)} and flips when {@code u < p}.
 *
 * <p><b>Shapes:</b> inputs {@code [B, C, H, W]}, {@code [B, H, W]} or {@code [B, C·H·W]} matching the declared
 * {@link ImageShape}; output the same shape. Reference:
 * <a href="https://pytorch.org/vision/stable/generated/torchvision.transforms.RandomHorizontalFlip.html">torchvision RandomHorizontalFlip</a>.
 */
public final class RandomHorizontalFlip implements Transform {
    private final ImageShape shape;
    private final double p;

    /**
     * Flipping with probability {@code p}.
     *
     * @param shape the declared image shape
     * @param p     probability of flipping each image, in [0, 1]
     */
    public RandomHorizontalFlip(ImageShape shape, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1] but was " + p);
        this.shape = shape;
        this.p = p;
    }

    @Override
    public Tensor apply(Tensor inputs, Generator generator) {
        return shape.map(inputs, "RandomHorizontalFlip", (in, out, offset) -> {
            if (generator.nextDouble() < p) mirror(shape, in, out, offset);
        });
    }

    /** Every image mirrored left to right, without randomness (torchvision's {@code F.hflip}). */
    public static Tensor hflip(Tensor inputs, ImageShape shape) {
        return shape.map(inputs, "RandomHorizontalFlip.hflip", (in, out, offset) -> mirror(shape, in, out, offset));
    }

    private static void mirror(ImageShape shape, float[] in, float[] out, int offset) {
        int w = shape.width(), rows = shape.channels() * shape.height();
        for (int r = 0; r < rows; r++) {
            int row = offset + r * w;
            for (int x = 0; x < w; x++) out[row + x] = in[row + w - 1 - x];
        }
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
