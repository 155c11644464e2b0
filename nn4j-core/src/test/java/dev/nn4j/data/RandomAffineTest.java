package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.nn4j.data.PreprocessingTest.bits;
import static dev.nn4j.data.SplitsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomAffineTest {
    static final ImageShape FIVE = new ImageShape(1, 5, 5);

    /** A 5×5 image with 1 at the given (row, column) positions. */
    static Tensor image(int[]... pixels) {
        Tensor t = Tensor.zeros(1, 5, 5);
        for (int[] p : pixels) t.set(1f, 0, p[0], p[1]);
        return t;
    }

    @Test
    void identityParametersGiveTheInputBitForBit() {
        Tensor x = Tensor.rand(new Generator(1), 3, 2, 6, 7);
        ImageShape shape = new ImageShape(2, 6, 7);
        assertArrayEquals(bits(x), bits(new RandomAffine(shape, 0, 0, 1, 1).apply(x, new Generator(2))));
        assertArrayEquals(bits(x), bits(RandomAffine.affine(x, shape, 0, 0, 0, 1)));
    }

    @Test
    void aOnePixelShiftMovesAKnownPatternByOnePixelAndFillsWithZero() {
        // An L: (1,1), (2,1), (3,1), (3,2).
        Tensor l = image(new int[] {1, 1}, new int[] {2, 1}, new int[] {3, 1}, new int[] {3, 2});
        Tensor right = image(new int[] {1, 2}, new int[] {2, 2}, new int[] {3, 2}, new int[] {3, 3});
        Tensor down = image(new int[] {2, 1}, new int[] {3, 1}, new int[] {4, 1}, new int[] {4, 2});
        assertArrayEquals(right.toFloatArray(), RandomAffine.affine(l, FIVE, 0, 1, 0, 1).toFloatArray());
        assertArrayEquals(down.toFloatArray(), RandomAffine.affine(l, FIVE, 0, 0, 1, 1).toFloatArray());
        // Shifting a full row of ones left by one empties the last column.
        Tensor ones = Tensor.ones(1, 5, 5);
        Tensor left = RandomAffine.affine(ones, FIVE, 0, -1, 0, 1);
        for (int r = 0; r < 5; r++) {
            assertEquals(1f, left.get(0, r, 3));
            assertEquals(0f, left.get(0, r, 4), "filled with 0");
        }
    }

    @Test
    void ninetyDegreesRotatesASquareImageCounterClockwise() {
        // Counter-clockwise as displayed is numpy's rot90: out[i][j] = in[j][W-1-i]; exact on the pixel grid.
        for (int size : new int[] {4, 5}) {
            ImageShape shape = new ImageShape(1, size, size);
            Tensor x = Tensor.rand(new Generator(size), 1, size, size);
            Tensor out = RandomAffine.affine(x, shape, 90, 0, 0, 1);
            for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) assertEquals(x.get(0, j, size - 1 - i), out.get(0, i, j), "size " + size + " at " + i + "," + j);
        }
        // The top-right corner goes to the top-left.
        assertEquals(1f, RandomAffine.affine(image(new int[] {0, 4}), FIVE, 90, 0, 0, 1).get(0, 0, 0));
    }

    @Test
    void scalingZoomsAboutTheCentreWithBilinearSampling() {
        Tensor x = Tensor.rand(new Generator(3), 1, 5, 5);
        Tensor zoomed = RandomAffine.affine(x, FIVE, 0, 0, 0, 2);
        assertEquals(x.get(0, 2, 2), zoomed.get(0, 2, 2), "the centre stays");
        assertEquals(x.get(0, 2, 3), zoomed.get(0, 2, 4), "(row 2, col 4) reads the source 2 + (4-2)/2 = 3");
        // (row 2, col 3) reads column 2.5: the mean of columns 2 and 3.
        assertEquals((x.get(0, 2, 2) + x.get(0, 2, 3)) / 2, zoomed.get(0, 2, 3), 1e-6f);
    }

    @Test
    void allLayoutsAndChannelsShareOneDrawPerImage() {
        ImageShape shape = new ImageShape(2, 6, 6);
        Tensor one = Tensor.rand(new Generator(4), 4, 1, 6, 6);
        Tensor twoChannels = Tensor.cat(1, one, one);
        RandomAffine t = new RandomAffine(shape, 20, 2, 0.8, 1.2);
        Tensor out = t.apply(twoChannels, new Generator(5));
        assertArrayEquals(out.narrow(1, 0, 1).toFloatArray(), out.narrow(1, 1, 1).toFloatArray(), "both channels get the same warp");
        assertArrayEquals(bits(out), bits(t.apply(twoChannels.reshape(4, 72), new Generator(5))), "flattened layout, same result");
        ImageShape grey = new ImageShape(1, 6, 6);
        assertArrayEquals(bits(new RandomAffine(grey, 20, 2, 0.8, 1.2).apply(one.reshape(4, 6, 6), new Generator(5))),
                bits(new RandomAffine(grey, 20, 2, 0.8, 1.2).apply(one.reshape(4, 36), new Generator(5))));
    }

    @Test
    void aSeedFixesTheDrawsAndAnotherSeedChangesThem() {
        Tensor x = Tensor.rand(new Generator(6), 8, 28 * 28);
        RandomAffine t = new RandomAffine(new ImageShape(1, 28, 28), 10, 2, 0.9, 1.1);
        assertArrayEquals(bits(t.apply(x, new Generator(7))), bits(t.apply(x, new Generator(7))));
        assertNotEquals(java.util.Arrays.toString(t.apply(x, new Generator(7)).toFloatArray()), java.util.Arrays.toString(t.apply(x, new Generator(8)).toFloatArray()));
    }

    @Test
    void shiftsAreUniformOverWholePixelsInRange() {
        // 5000 copies of a single lit pixel at the centre of 9×9; shift ±2: each of the 5 offsets per axis ~1/5.
        int n = 5000;
        ImageShape shape = new ImageShape(1, 9, 9);
        Tensor dot = Tensor.zeros(n, 9, 9);
        for (int b = 0; b < n; b++) dot.set(1f, b, 4, 4);
        Tensor out = new RandomAffine(shape, 0, 2, 1, 1).apply(dot, new Generator(9));
        int[] dx = new int[5], dy = new int[5];
        for (int b = 0; b < n; b++) {
            int found = 0;
            for (int r = 0; r < 9; r++) {
                for (int c = 0; c < 9; c++) {
                    if (out.get(b, r, c) == 1f) {
                        dx[c - 4 + 2]++;
                        dy[r - 4 + 2]++;
                        found++;
                    }
                }
            }
            assertEquals(1, found, "whole-pixel shifts keep one lit pixel");
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(0.2, dx[i] / (double) n, 0.03, "horizontal offset " + (i - 2));
            assertEquals(0.2, dy[i] / (double) n, 0.03, "vertical offset " + (i - 2));
        }
    }

    @Test
    void anglesAreUniformWithinTheRange() {
        // A dot 12 pixels right of the centre of 31×31; the intensity-weighted centroid after the warp gives the angle.
        // U(-10°, 10°) has mean 0 and standard deviation 10/√3 ≈ 5.77°.
        int n = 2000, size = 31, c = 15;
        Tensor dot = Tensor.zeros(n, size, size);
        for (int b = 0; b < n; b++) dot.set(1f, b, c, c + 12);
        Tensor out = new RandomAffine(new ImageShape(1, size, size), 10, 0, 1, 1).apply(dot, new Generator(10));
        double sum = 0, sq = 0, max = 0;
        for (int b = 0; b < n; b++) {
            double mass = 0, mx = 0, my = 0;
            for (int r = 0; r < size; r++) {
                for (int col = 0; col < size; col++) {
                    float v = out.get(b, r, col);
                    mass += v;
                    mx += v * (col - c);
                    my += v * (r - c);
                }
            }
            double angle = Math.toDegrees(Math.atan2(-my / mass, mx / mass)); // counter-clockwise as displayed
            sum += angle;
            sq += angle * angle;
            max = Math.max(max, Math.abs(angle));
        }
        double mean = sum / n, std = Math.sqrt(sq / n - mean * mean);
        assertEquals(0, mean, 0.4);
        assertEquals(10 / Math.sqrt(3), std, 0.3);
        assertTrue(max < 10.5 && max > 9.5, "largest angle " + max);
    }

    @Test
    void badRangesAndShapesAreErrors() {
        assertMessage("RandomAffine: degrees must be in [0, 180] but was -1.0", () -> new RandomAffine(FIVE, -1, 0, 1, 1));
        assertMessage("RandomAffine: shift must be at least 0 pixels but was -2", () -> new RandomAffine(FIVE, 0, -2, 1, 1));
        assertMessage("scale range must satisfy 0 < minScale <= maxScale but was [1.2, 1.1]", () -> new RandomAffine(FIVE, 0, 0, 1.2, 1.1));
        assertMessage("RandomAffine: input shape [2, 784] is not a batch of [1, 5, 5] images; expected [B, 1, 5, 5], [B, 5, 5] or [B, 25]",
                () -> new RandomAffine(FIVE, 0, 0, 1, 1).apply(Tensor.zeros(2, 784), new Generator(0)));
        assertMessage("ImageShape: channels, height and width must be at least 1 but were 1, 0, 5", () -> new ImageShape(1, 0, 5));
    }
}
