package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * Random affine augmentation of image batches, as torchvision's {@code RandomAffine}: each image is rotated,
 * scaled and shifted about its centre, sampled bilinearly, with 0 where the source falls outside the image.
 *
 * <p>For each image, in batch order, it draws: angle {@code θ ~ U(-degrees, degrees)}, scale
 * {@code s ~ U(minScale, maxScale)}, then whole-pixel shifts {@code tx, ty ~ U{-shift, …, shift}}. An output pixel
 * {@code p' = (x, y)} (column, row) takes the value at the source point
 * <pre>
 *   p = c + R(-θ) (p' - c - t) / s,   c = ((W-1)/2, (H-1)/2),   R(θ) = [[cos θ, sin θ], [-sin θ, cos θ]]
 * </pre>
 * so a positive angle turns the picture counter-clockwise as displayed (row 0 at the top), a positive
 * {@code tx} moves it right and a positive {@code ty} moves it down. All channels of an image share the draw.
 *
 * <p><b>Shapes:</b> inputs {@code [B, C, H, W]}, {@code [B, H, W]} or {@code [B, C·H·W]} matching the declared
 * {@link ImageShape}; output the same shape. <b>Parameters:</b> none learned. Reference:
 * <a href="https://pytorch.org/vision/stable/generated/torchvision.transforms.RandomAffine.html">torchvision RandomAffine</a>.
 */
public final class RandomAffine implements Transform {
    /** Source coordinates this close to a whole pixel read that pixel exactly (cos 90° is not exactly 0 in floating point). */
    private static final double SNAP = 1e-6;

    private final ImageShape shape;
    private final double degrees, minScale, maxScale;
    private final int shift;

    /**
     * Rotation, shift and zoom drawn from the given ranges.
     *
     * @param shape    the declared image shape
     * @param degrees  largest rotation either way, in [0, 180]
     * @param shift    largest shift either way in whole pixels, at least 0
     * @param minScale smallest zoom factor, positive
     * @param maxScale largest zoom factor, at least {@code minScale}; {@code (1, 1)} for no zoom
     */
    public RandomAffine(ImageShape shape, double degrees, int shift, double minScale, double maxScale) {
        if (!(degrees >= 0 && degrees <= 180)) throw new IllegalArgumentException("RandomAffine: degrees must be in [0, 180] but was " + degrees);
        if (shift < 0) throw new IllegalArgumentException("RandomAffine: shift must be at least 0 pixels but was " + shift);
        if (!(minScale > 0 && maxScale >= minScale && Double.isFinite(maxScale))) {
            throw new IllegalArgumentException("RandomAffine: scale range must satisfy 0 < minScale <= maxScale but was ["
                    + minScale + ", " + maxScale + "]");
        }
        this.shape = shape;
        this.degrees = degrees;
        this.shift = shift;
        this.minScale = minScale;
        this.maxScale = maxScale;
    }

    @Override
    public Tensor apply(Tensor inputs, Generator generator) {
        return shape.map(inputs, "RandomAffine", (in, out, offset) -> {
            double angle = -degrees + 2 * degrees * generator.nextDouble();
            double scale = minScale + (maxScale - minScale) * generator.nextDouble();
            int tx = generator.nextInt(2 * shift + 1) - shift;
            int ty = generator.nextInt(2 * shift + 1) - shift;
            warp(shape, in, out, offset, angle, tx, ty, scale);
        });
    }

    /**
     * The same affine map applied to every image, without randomness (torchvision's {@code F.affine}):
     * rotation {@code angle} degrees counter-clockwise, shift {@code (tx, ty)} pixels (right, down), zoom {@code scale}.
     */
    public static Tensor affine(Tensor inputs, ImageShape shape, double angle, double tx, double ty, double scale) {
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(angle) || !Double.isFinite(tx) || !Double.isFinite(ty)) {
            throw new IllegalArgumentException("RandomAffine.affine: need finite angle and shifts and a positive scale but got angle "
                    + angle + ", shift (" + tx + ", " + ty + "), scale " + scale);
        }
        return shape.map(inputs, "RandomAffine.affine", (in, out, offset) -> warp(shape, in, out, offset, angle, tx, ty, scale));
    }

    /** Inverse-maps every output pixel of one image to its source and samples it bilinearly (0 outside). */
    private static void warp(ImageShape shape, float[] in, float[] out, int offset, double angle, double tx, double ty, double scale) {
        int h = shape.height(), w = shape.width();
        double rad = Math.toRadians(angle), cos = Math.cos(rad) / scale, sin = Math.sin(rad) / scale;
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        for (int c = 0; c < shape.channels(); c++) {
            int plane = offset + c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dx = x - cx - tx, dy = y - cy - ty;
                    double sx = snap(cx + cos * dx - sin * dy), sy = snap(cy + sin * dx + cos * dy);
                    out[plane + y * w + x] = bilinear(in, plane, h, w, sx, sy);
                }
            }
        }
    }

    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < SNAP ? r : v;
    }

    /** Bilinear interpolation of the {@code h×w} plane at {@code plane}; pixels outside read as 0. */
    private static float bilinear(float[] in, int plane, int h, int w, double sx, double sy) {
        int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
        if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return 0f;
        double fx = sx - x0, fy = sy - y0;
        double top = lerp(in, plane, h, w, x0, y0, fx);
        return (float) (fy == 0 ? top : (1 - fy) * top + fy * lerp(in, plane, h, w, x0, y0 + 1, fx));
    }

    /** Row {@code y} between columns {@code x0} and {@code x0 + 1}; a whole-pixel position reads that pixel alone. */
    private static double lerp(float[] in, int plane, int h, int w, int x0, int y, double fx) {
        double left = pixel(in, plane, h, w, x0, y);
        return fx == 0 ? left : (1 - fx) * left + fx * pixel(in, plane, h, w, x0 + 1, y);
    }

    private static float pixel(float[] in, int plane, int h, int w, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0f : in[plane + y * w + x];
    }

    @Override
    public String toString() {
        return "RandomAffine(degrees=" + degrees + ", shift=" + shift + ", scale=[" + minScale + ", " + maxScale + "])";
    }
}
