package dev.nn4j.data.sets;

/**
 * How the built-in image datasets lay out each image in their input tensor. The pixels are the same row-major
 * values either way; only the shape differs, so one is a {@code reshape} of the other.
 */
public enum ImageLayout {
    /** {@code [N, H·W]} ({@code [N, 784]} for MNIST): what an MLP ({@code Linear}) takes. The default. */
    FLAT,
    /** {@code [N, 1, H, W]} ({@code [N, 1, 28, 28]} for MNIST): channels first, what {@code Conv2d} takes. */
    CHW;

    /** The input shape of {@code n} grey images of {@code height × width} in this layout. */
    public int[] shape(int n, int height, int width) {
        return this == FLAT ? new int[] {n, height * width} : new int[] {n, 1, height, width};
    }
}
