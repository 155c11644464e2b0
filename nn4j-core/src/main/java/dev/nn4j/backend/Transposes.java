package dev.nn4j.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transposes that pack GEMM operands ({@link PackedGemm}): {@code dst[d + k·width + r] = src[s + r·ld + k]}, a
 * block of k-contiguous rows into a k-major panel. With 512-bit vectors, sixteen rows at a time go through an
 * in-register 16 × 16 transpose; other widths take the scalar loop. Packing moves values only, so either way the
 * products get the same bits.
 *
 * <p>The vector transpose zips rows {@code j} and {@code j + 8} into rows {@code 2j} and {@code 2j + 1} (lanes
 * {@code a0 b0 a1 b1 …}, low halves and high halves), four times: each pass is the perfect shuffle of the 256 entries'
 * index bits, and four of them exchange a row index with a lane index. Each zip is one two-vector permute. On an
 * Intel Xeon (AVX-512), one thread, the seed MLP's 256 × 784 weight into 32-wide panels: 37–48 against 83–95 µs.
 */
final class Transposes {
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;
    /** Whether {@link #transposeInto} takes the 16 × 16 vector transpose: the preferred vectors are 512 bits. */
    static final boolean VECTOR = FloatVector.SPECIES_PREFERRED.length() == 16;
    private static final VectorShuffle<Float> LOW = zip(0), HIGH = zip(8);

    private Transposes() {}

    /** Lanes {@code x[from], y[from], x[from+1], y[from+1], …} of {@code x.rearrange(zip, y)}; y's lanes are the exceptional indices. */
    private static VectorShuffle<Float> zip(int from) {
        int[] lanes = new int[16];
        for (int j = 0; j < 8; j++) {
            lanes[2 * j] = from + j;
            lanes[2 * j + 1] = from + j - 16;
        }
        return VectorShuffle.fromArray(S16, lanes, 0);
    }

    /** {@code dst[d + k·width + r] = src[s + r·ld + k]} for {@code r < rows, k < cols}. */
    static void transposeInto(float[] src, int s, int ld, int rows, int cols, float[] dst, int d, int width) {
        int k = 0;
        if (VECTOR) {
            int bound = cols & ~15;
            for (int r = 0; r < rows; r += 16) transpose16(src, s + r * ld, ld, Math.min(16, rows - r), bound, dst, d + r, width);
            k = bound;
        }
        scalar(src, s, ld, rows, k, cols, dst, d, width);
    }

    /**
     * Columns {@code k0 ≤ k < cols} of {@link #transposeInto}. Four k at a time, so that each row is read four floats in
     * a row and each write burst fills four panel rows (about a fifth faster than one k at a time, measured on the
     * seed MLP's weight).
     */
    static void scalar(float[] src, int s, int ld, int rows, int k0, int cols, float[] dst, int d, int width) {
        int k = k0;
        for (; k + 4 <= cols; k += 4) {
            int o = d + k * width;
            for (int r = 0, p = s + k; r < rows; r++, p += ld) {
                dst[o + r] = src[p];
                dst[o + width + r] = src[p + 1];
                dst[o + 2 * width + r] = src[p + 2];
                dst[o + 3 * width + r] = src[p + 3];
            }
        }
        for (; k < cols; k++) {
            int o = d + k * width;
            for (int r = 0, p = s + k; r < rows; r++, p += ld) dst[o + r] = src[p];
        }
    }

    /**
     * Rows {@code 0 ≤ r < rows} (at most 16) and columns {@code k < cols} (a multiple of 16) of {@link #transposeInto},
     * sixteen k at a time. Fewer than 16 rows load the last real row again in place of the missing ones (an index
     * clamp, not a branch that C2 would compile as a trap for the shapes it has not seen) and store only {@code rows}
     * lanes. Sixteen named vectors per pass, since C2 keeps locals in registers but not an array of vectors.
     */
    private static void transpose16(float[] src, int s, int ld, int rows, int cols, float[] dst, int d, int width) {
        VectorMask<Float> lanes = S16.indexInRange(0, rows);
        int last = rows - 1;
        for (int k = 0; k < cols; k += 16) {
            int p = s + k;
            FloatVector a0 = FloatVector.fromArray(S16, src, p);
            FloatVector a1 = FloatVector.fromArray(S16, src, p + Math.min(1, last) * ld);
            FloatVector a2 = FloatVector.fromArray(S16, src, p + Math.min(2, last) * ld);
            FloatVector a3 = FloatVector.fromArray(S16, src, p + Math.min(3, last) * ld);
            FloatVector a4 = FloatVector.fromArray(S16, src, p + Math.min(4, last) * ld);
            FloatVector a5 = FloatVector.fromArray(S16, src, p + Math.min(5, last) * ld);
            FloatVector a6 = FloatVector.fromArray(S16, src, p + Math.min(6, last) * ld);
            FloatVector a7 = FloatVector.fromArray(S16, src, p + Math.min(7, last) * ld);
            FloatVector a8 = FloatVector.fromArray(S16, src, p + Math.min(8, last) * ld);
            FloatVector a9 = FloatVector.fromArray(S16, src, p + Math.min(9, last) * ld);
            FloatVector a10 = FloatVector.fromArray(S16, src, p + Math.min(10, last) * ld);
            FloatVector a11 = FloatVector.fromArray(S16, src, p + Math.min(11, last) * ld);
            FloatVector a12 = FloatVector.fromArray(S16, src, p + Math.min(12, last) * ld);
            FloatVector a13 = FloatVector.fromArray(S16, src, p + Math.min(13, last) * ld);
            FloatVector a14 = FloatVector.fromArray(S16, src, p + Math.min(14, last) * ld);
            FloatVector a15 = FloatVector.fromArray(S16, src, p + Math.min(15, last) * ld);
            FloatVector b0 = a0.rearrange(LOW, a8), b1 = a0.rearrange(HIGH, a8);
            FloatVector b2 = a1.rearrange(LOW, a9), b3 = a1.rearrange(HIGH, a9);
            FloatVector b4 = a2.rearrange(LOW, a10), b5 = a2.rearrange(HIGH, a10);
            FloatVector b6 = a3.rearrange(LOW, a11), b7 = a3.rearrange(HIGH, a11);
            FloatVector b8 = a4.rearrange(LOW, a12), b9 = a4.rearrange(HIGH, a12);
            FloatVector b10 = a5.rearrange(LOW, a13), b11 = a5.rearrange(HIGH, a13);
            FloatVector b12 = a6.rearrange(LOW, a14), b13 = a6.rearrange(HIGH, a14);
            FloatVector b14 = a7.rearrange(LOW, a15), b15 = a7.rearrange(HIGH, a15);
            FloatVector c0 = b0.rearrange(LOW, b8), c1 = b0.rearrange(HIGH, b8);
            FloatVector c2 = b1.rearrange(LOW, b9), c3 = b1.rearrange(HIGH, b9);
            FloatVector c4 = b2.rearrange(LOW, b10), c5 = b2.rearrange(HIGH, b10);
            FloatVector c6 = b3.rearrange(LOW, b11), c7 = b3.rearrange(HIGH, b11);
            FloatVector c8 = b4.rearrange(LOW, b12), c9 = b4.rearrange(HIGH, b12);
            FloatVector c10 = b5.rearrange(LOW, b13), c11 = b5.rearrange(HIGH, b13);
            FloatVector c12 = b6.rearrange(LOW, b14), c13 = b6.rearrange(HIGH, b14);
            FloatVector c14 = b7.rearrange(LOW, b15), c15 = b7.rearrange(HIGH, b15);
            FloatVector d0 = c0.rearrange(LOW, c8), d1 = c0.rearrange(HIGH, c8);
            FloatVector d2 = c1.rearrange(LOW, c9), d3 = c1.rearrange(HIGH, c9);
            FloatVector d4 = c2.rearrange(LOW, c10), d5 = c2.rearrange(HIGH, c10);
            FloatVector d6 = c3.rearrange(LOW, c11), d7 = c3.rearrange(HIGH, c11);
            FloatVector d8 = c4.rearrange(LOW, c12), d9 = c4.rearrange(HIGH, c12);
            FloatVector d10 = c5.rearrange(LOW, c13), d11 = c5.rearrange(HIGH, c13);
            FloatVector d12 = c6.rearrange(LOW, c14), d13 = c6.rearrange(HIGH, c14);
            FloatVector d14 = c7.rearrange(LOW, c15), d15 = c7.rearrange(HIGH, c15);
            FloatVector e0 = d0.rearrange(LOW, d8), e1 = d0.rearrange(HIGH, d8);
            FloatVector e2 = d1.rearrange(LOW, d9), e3 = d1.rearrange(HIGH, d9);
            FloatVector e4 = d2.rearrange(LOW, d10), e5 = d2.rearrange(HIGH, d10);
            FloatVector e6 = d3.rearrange(LOW, d11), e7 = d3.rearrange(HIGH, d11);
            FloatVector e8 = d4.rearrange(LOW, d12), e9 = d4.rearrange(HIGH, d12);
            FloatVector e10 = d5.rearrange(LOW, d13), e11 = d5.rearrange(HIGH, d13);
            FloatVector e12 = d6.rearrange(LOW, d14), e13 = d6.rearrange(HIGH, d14);
            FloatVector e14 = d7.rearrange(LOW, d15), e15 = d7.rearrange(HIGH, d15);
            int o = d + k * width;
            e0.intoArray(dst, o + 0 * width, lanes);
            e1.intoArray(dst, o + 1 * width, lanes);
            e2.intoArray(dst, o + 2 * width, lanes);
            e3.intoArray(dst, o + 3 * width, lanes);
            e4.intoArray(dst, o + 4 * width, lanes);
            e5.intoArray(dst, o + 5 * width, lanes);
            e6.intoArray(dst, o + 6 * width, lanes);
            e7.intoArray(dst, o + 7 * width, lanes);
            e8.intoArray(dst, o + 8 * width, lanes);
            e9.intoArray(dst, o + 9 * width, lanes);
            e10.intoArray(dst, o + 10 * width, lanes);
            e11.intoArray(dst, o + 11 * width, lanes);
            e12.intoArray(dst, o + 12 * width, lanes);
            e13.intoArray(dst, o + 13 * width, lanes);
            e14.intoArray(dst, o + 14 * width, lanes);
            e15.intoArray(dst, o + 15 * width, lanes);
        }
    }
}
