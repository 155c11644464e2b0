package dev.nn4j.backend;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link Transposes#transposeInto} (gathers where vectors are 512 bits) against the definition
 * {@code dst[d + k·width + r] = src[s + r·ld + k]}, over row counts on both sides of 16 and 32, column counts,
 * panel widths of the GEMM's tiles, and offsets; entries outside the block must stay untouched.
 */
class TransposesTest {
    @Test
    void transposeMatchesItsDefinitionAndWritesNothingElse() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[] rowCounts = {1, 2, 5, 11, 12, 15, 16, 17, 31, 32, 33};
        int[] colCounts = {0, 1, 3, 15, 16, 17, 31, 32, 47, 100};
        for (int rows : rowCounts) for (int cols : colCounts) for (int width : new int[] {rows, 12, 32, 40}) {
            if (width < rows) continue;
            int ld = cols + rnd.nextInt(0, 5), s = rnd.nextInt(0, 9), d = rnd.nextInt(0, 9);
            float[] src = new float[s + rows * ld + 3];
            for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextDouble(-1, 1);
            float[] dst = new float[d + cols * width + 17], expected = new float[dst.length];
            for (int i = 0; i < dst.length; i++) dst[i] = expected[i] = -7f - i;
            for (int r = 0; r < rows; r++) for (int k = 0; k < cols; k++) expected[d + k * width + r] = src[s + r * ld + k];
            Transposes.transposeInto(src, s, ld, rows, cols, dst, d, width);
            assertArrayEquals(expected, dst, "rows " + rows + ", cols " + cols + ", width " + width + ", ld " + ld);
        }
    }
}
