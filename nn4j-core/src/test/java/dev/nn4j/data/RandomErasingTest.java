package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.nn4j.data.PreprocessingTest.bits;
import static dev.nn4j.data.SplitsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomErasingTest {
    /** Rows, columns and count of zeros of image b of an all-ones batch: {top, left, bottom, right, zeros}, or null. */
    static int[] erased(Tensor out, int b, ImageShape shape) {
        int top = Integer.MAX_VALUE, left = Integer.MAX_VALUE, bottom = -1, right = -1, zeros = 0;
        for (int c = 0; c < shape.channels(); c++) {
            for (int r = 0; r < shape.height(); r++) {
                for (int col = 0; col < shape.width(); col++) {
                    if (out.get(b, c, r, col) == 0f) {
                        zeros++;
                        top = Math.min(top, r);
                        left = Math.min(left, col);
                        bottom = Math.max(bottom, r);
                        right = Math.max(right, col);
                    }
                }
            }
        }
        return zeros == 0 ? null : new int[] {top, left, bottom, right, zeros};
    }

    @Test
    void erasedRegionIsOneRectangleInEveryChannelWithinTheAreaBounds() {
        // Ratio fixed at 1: the side is round(√(a·400)) with a in [0.1, 0.3], so the area is in
        // [round(√40)², round(√120)²] = [36, 121] pixels.
        ImageShape shape = new ImageShape(2, 20, 20);
        int n = 2000;
        Tensor out = new RandomErasing(shape, 1, 0.1, 0.3, 1, 1).apply(Tensor.ones(n, 2, 20, 20), new Generator(1));
        int smallest = Integer.MAX_VALUE, largest = 0;
        for (int b = 0; b < n; b++) {
            int[] e = erased(out, b, shape);
            assertTrue(e != null, "p = 1 erases every image (a square of at most 11 always fits in 20)");
            int h = e[2] - e[0] + 1, w = e[3] - e[1] + 1;
            assertEquals(h, w, "ratio 1 gives a square");
            assertEquals(2 * h * w, e[4], "a full rectangle in both channels");
            assertTrue(h * w >= 36 && h * w <= 121, "area " + h * w);
            smallest = Math.min(smallest, h * w);
            largest = Math.max(largest, h * w);
        }
        assertEquals(36, smallest, "the smallest side is reached");
        assertEquals(121, largest, "the largest side is reached");
    }

    @Test
    void aspectRatiosFollowTheRatioRange() {
        ImageShape shape = new ImageShape(1, 40, 40);
        int n = 1000;
        Tensor out = new RandomErasing(shape, 1, 0.1, 0.1, 2, 2).apply(Tensor.ones(n, 40, 40), new Generator(2));
        for (int b = 0; b < n; b++) {
            int[] e = erased(out.reshape(n, 1, 40, 40), b, shape);
            // area 160, ratio 2: h = round(√320) = 18, w = round(√80) = 9.
            assertEquals(18, e[2] - e[0] + 1);
            assertEquals(9, e[3] - e[1] + 1);
        }
    }

    @Test
    void probabilityControlsHowManyImagesAreErased() {
        ImageShape shape = new ImageShape(1, 10, 10);
        int n = 4000, count = 0;
        Tensor out = new RandomErasing(shape, 0.3).apply(Tensor.ones(n, 100), new Generator(3)).reshape(n, 1, 10, 10);
        for (int b = 0; b < n; b++) count += erased(out, b, shape) == null ? 0 : 1;
        assertEquals(0.3, count / (double) n, 0.025);
        Tensor x = Tensor.rand(new Generator(4), 6, 100);
        assertArrayEquals(bits(x), bits(new RandomErasing(shape, 0).apply(x, new Generator(5))), "p = 0 never erases");
    }

    @Test
    void nothingIsErasedWhenNoRectangleFits() {
        // Erasing the whole 2×2 image needs h = w = 2, which torchvision's rule (h < H and w < W) refuses ten times.
        Tensor x = Tensor.ones(3, 4);
        assertArrayEquals(bits(x), bits(new RandomErasing(new ImageShape(1, 2, 2), 1, 1, 1, 1, 1).apply(x, new Generator(6))));
    }

    @Test
    void badRangesAreErrors() {
        ImageShape s = new ImageShape(1, 4, 4);
        assertMessage("RandomErasing: p must be in [0, 1] but was -0.1", () -> new RandomErasing(s, -0.1));
        assertMessage("area range must satisfy 0 < minArea <= maxArea <= 1 but was [0.5, 0.2]", () -> new RandomErasing(s, 1, 0.5, 0.2, 1, 1));
        assertMessage("ratio range must satisfy 0 < minRatio <= maxRatio but was [0.0, 1.0]", () -> new RandomErasing(s, 1, 0.1, 0.2, 0, 1));
    }
}
