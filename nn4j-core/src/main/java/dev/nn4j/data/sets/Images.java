package dev.nn4j.data.sets;

import dev.nn4j.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads PNG and JPEG images (and whatever else {@code javax.imageio} reads) into {@code [C, H, W]} tensors scaled to
 * [0, 1], converted to grey or RGB and resized. Alpha is dropped (not composited).
 *
 * <p><b>Resizing</b> is separable, decided per axis: an axis that shrinks is averaged over areas, exactly as
 * PyTorch's {@code F.interpolate(mode="area")} (adaptive average pooling: output {@code i} averages inputs
 * {@code floor(i·in/out)} to {@code ceil((i+1)·in/out) - 1}); an axis that grows is interpolated linearly, as
 * {@code F.interpolate(mode="bilinear", align_corners=False)} (half-pixel centres, edges clamped). Area averaging
 * avoids the aliasing bilinear sampling has when shrinking, which matters for photos reduced to 28×28.
 */
public final class Images {
    private Images() {}

    /** The image at {@code file} as {@code [C, height, width]} in [0, 1]; an unreadable file is an error naming it. */
    public static Tensor read(Path file, int height, int width, ColorMode mode) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("Images.read: size must be positive but was " + height + "×" + width);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (image == null) throw new IllegalArgumentException("cannot read image " + file + ": not a PNG, JPEG or other format javax.imageio knows");
        int c = mode.channels();
        float[] resized = resize(pixels(image, mode), c, image.getHeight(), image.getWidth(), height, width);
        return Tensor.fromArray(resized, c, height, width);
    }

    /** The pixels of {@code image} as planar {@code [C, h, w]} values in [0, 1]. */
    public static float[] pixels(BufferedImage image, ColorMode mode) {
        int h = image.getHeight(), w = image.getWidth(), plane = h * w;
        float[] out = new float[mode.channels() * plane];
        if (isGrey(image)) {
            // read grey samples directly: getRGB would convert linear grey to sRGB and change the values
            Raster raster = image.getRaster();
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / max;
                    for (int ch = 0; ch < mode.channels(); ch++) out[ch * plane + y * w + x] = v;
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                float r = ((argb >> 16) & 0xff) / 255f, g = ((argb >> 8) & 0xff) / 255f, b = (argb & 0xff) / 255f;
                if (mode == ColorMode.GREY) {
                    out[y * w + x] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    out[y * w + x] = r;
                    out[plane + y * w + x] = g;
                    out[2 * plane + y * w + x] = b;
                }
            }
        }
        return out;
    }

    /** Resizes planar {@code [channels, inH, inW]} values to {@code [channels, outH, outW]} (area when shrinking an axis, bilinear when growing). */
    public static float[] resize(float[] src, int channels, int inH, int inW, int outH, int outW) {
        if (src.length != channels * inH * inW) {
            throw new IllegalArgumentException("Images.resize: " + src.length + " values do not fill [" + channels + ", " + inH + ", " + inW + "]");
        }
        float[] rows = resizeAxis(src, channels * inH, inW, 1, outW); // [C·inH, inW] -> [C·inH, outW]
        return resizeAxis(rows, channels, inH, outW, outH);           // [C, inH, outW] -> [C, outH, outW]
    }

    /** Resizes the middle axis of {@code [outer, n, inner]} values to {@code m}: {@code [outer, m, inner]}. */
    private static float[] resizeAxis(float[] src, int outer, int n, int inner, int m) {
        if (m == n) return src;
        float[] dst = new float[outer * m * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < m; i++) {
                int to = (o * m + i) * inner;
                if (m < n) { // area: the adaptive-average-pooling window of output i
                    int start = (int) ((long) i * n / m), end = (int) (((long) (i + 1) * n + m - 1) / m);
                    for (int k = start; k < end; k++) {
                        int from = (o * n + k) * inner;
                        for (int j = 0; j < inner; j++) dst[to + j] += src[from + j];
                    }
                    for (int j = 0; j < inner; j++) dst[to + j] /= end - start;
                } else { // bilinear, align_corners=False: source position of the output pixel's centre, clamped at 0
                    double pos = Math.max((i + 0.5) * n / m - 0.5, 0);
                    int k0 = (int) pos, k1 = Math.min(k0 + 1, n - 1);
                    float t = (float) (pos - k0);
                    int from0 = (o * n + k0) * inner, from1 = (o * n + k1) * inner;
                    for (int j = 0; j < inner; j++) dst[to + j] = (1 - t) * src[from0 + j] + t * src[from1 + j];
                }
            }
        }
        return dst;
    }

    private static boolean isGrey(BufferedImage image) {
        return !(image.getColorModel() instanceof IndexColorModel)
                && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }
}
