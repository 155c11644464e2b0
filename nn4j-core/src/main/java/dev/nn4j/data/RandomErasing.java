package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Random erasing (cutout) as torchvision's {@code RandomErasing}: with probability {@code p} an image gets one
 * axis-aligned rectangle set to 0 in every channel. The rectangle's area is a fraction {@code U(minArea, maxArea)}
 * of the image, its aspect ratio {@code h/w} is log-uniform in {@code [minRatio, maxRatio]}; torchvision's rule
 * then gives {@code h = round(√(area·ratio))}, {@code w = round(√(area/ratio))}, retried up to 10 times until
 * {@code h < H} and {@code w < W} (no erasing when every try fails), and a uniform top-left corner.
 *
 * <p>Draw order per image, in batch order: {@code u} for the coin; then per try the area fraction and the log
 * ratio; then row and column of the corner.
 *
 * <p><b>Shapes:</b> inputs {@code [B, C, H, W]}, {@code [B, H, W]} or {@code [B, C·H·W]} matching the declared
 * {@link ImageShape}; output the same shape. Reference: Zhong et al., "Random Erasing Data Augmentation", AAAI 2020;
 * <a href="https://pytorch.org/vision/stable/generated/torchvision.transforms.RandomErasing.html">torchvision RandomErasing</a>.
 */
public final class RandomErasing implements Transform {
    private static final int TRIES = 10;

    private final ImageShape shape;
    private final double p, minArea, maxArea, minRatio, maxRatio;

    /** torchvision's defaults: area 2% to 33% of the image, aspect ratio 0.3 to 3.3. */
    public RandomErasing(ImageShape shape, double p) {
        this(shape, p, 0.02, 0.33, 0.3, 3.3);
    }

    /**
     * Erasing with the given probability, area and aspect-ratio ranges.
     *
     * @param shape    the declared image shape
     * @param p        probability of erasing each image, in [0, 1]
     * @param minArea  smallest erased fraction of the image area, in (0, maxArea]
     * @param maxArea  largest erased fraction, in [minArea, 1]
     * @param minRatio smallest aspect ratio {@code h/w}, positive
     * @param maxRatio largest aspect ratio, at least {@code minRatio}
     */
    public RandomErasing(ImageShape shape, double p, double minArea, double maxArea, double minRatio, double maxRatio) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomErasing: p must be in [0, 1] but was " + p);
        if (!(minArea > 0 && minArea <= maxArea && maxArea <= 1)) {
            throw new IllegalArgumentException("RandomErasing: area range must satisfy 0 < minArea <= maxArea <= 1 but was ["
                    + minArea + ", " + maxArea + "]");
        }
        if (!(minRatio > 0 && minRatio <= maxRatio && Double.isFinite(maxRatio))) {
            throw new IllegalArgumentException("RandomErasing: ratio range must satisfy 0 < minRatio <= maxRatio but was ["
                    + minRatio + ", " + maxRatio + "]");
        }
        this.shape = shape;
        this.p = p;
        this.minArea = minArea;
        this.maxArea = maxArea;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    @Override
    public Tensor apply(Tensor inputs, Generator generator) {
        int h = shape.height(), w = shape.width();
        double area = h * w, logMin = Math.log(minRatio), logMax = Math.log(maxRatio);
        return shape.map(inputs, "RandomErasing", (in, out, offset) -> {
            if (generator.nextDouble() >= p) return;
            for (int t = 0; t < TRIES; t++) {
                double target = area * (minArea + (maxArea - minArea) * generator.nextDouble());
                double ratio = Math.exp(logMin + (logMax - logMin) * generator.nextDouble());
                int eh = (int) Math.round(Math.sqrt(target * ratio)), ew = (int) Math.round(Math.sqrt(target / ratio));
                if (!(eh < h && ew < w)) continue;
                int top = generator.nextInt(h - eh + 1), left = generator.nextInt(w - ew + 1);
                for (int c = 0; c < shape.channels(); c++) {
                    for (int y = top; y < top + eh; y++) {
                        int row = offset + (c * h + y) * w;
                        Arrays.fill(out, row + left, row + left + ew, 0f);
                    }
                }
                return;
            }
        });
    }

    @Override
    public String toString() {
        return "RandomErasing(p=" + p + ", area=[" + minArea + ", " + maxArea + "], ratio=[" + minRatio + ", " + maxRatio + "])";
    }
}
