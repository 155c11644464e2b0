package dev.nn4j.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transposes that pack GEMM operands ({@link PackedGemm}): {@code dst[d + k·width + r] = src[s + r·ld + k]}, a
 * block of k-contiguous rows into a k-major panel. With 512-bit vectors, each k of sixteen rows is one gather (lane r
 * reads row r) and one store; other widths take the scalar loop. Packing moves values only, so either way the
 * products get the same bits.
 *
 * <p>Measured on an Intel Xeon (AVX-512), one thread, the seed MLP's 256 × 784 weight into 32-wide panels: gathers
 * 33–37 µs, the scalar loop 77–105 µs, an in-register 16 × 16 transpose of two-vector permutes 37–50 µs. The permutes
 * were tried first and not kept: a method of 64 of them is large enough that C2 sometimes compiled it without the
 * vector intrinsics, and then one JVM in three ran the seed MLP's batch-256 inference at half speed.
 */
final class Transposes {
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;
    /** Whether {@link #transposeInto} takes the gathers: the preferred vectors are 512 bits. */
    private static final boolean VECTOR = FloatVector.SPECIES_PREFERRED.length() == 16;
    /** Each thread's gather offsets, {@code min(r, rows - 1)·ld} for lane r, rewritten by every call. */
    private static final ThreadLocal<int[]> OFFSETS = ThreadLocal.withInitial(() -> new int[16]);

    private Transposes() {}

    /** {@code dst[d + k·width + r] = src[s + r·ld + k]} for {@code r < rows, k < cols}. */
    static void transposeInto(float[] src, int s, int ld, int rows, int cols, float[] dst, int d, int width) {
        if (!VECTOR) {
            scalar(src, s, ld, rows, cols, dst, d, width);
            return;
        }
        int[] offsets = OFFSETS.get();
        for (int r = 0; r < rows; r += 16) gather16(src, s + r * ld, ld, Math.min(16, rows - r), cols, dst, d + r, width, offsets);
    }

    /**
     * Rows {@code r < rows} (at most 16) of {@link #transposeInto}. Fewer than 16 rows read the last real row again
     * in the missing lanes (so no lane reads outside the block) and store only {@code rows} lanes.
     */
    private static void gather16(float[] src, int s, int ld, int rows, int cols, float[] dst, int d, int width, int[] offsets) {
        for (int r = 0; r < 16; r++) offsets[r] = Math.min(r, rows - 1) * ld;
        if (rows == 16) {
            for (int k = 0; k < cols; k++) FloatVector.fromArray(S16, src, s + k, offsets, 0).intoArray(dst, d + k * width);
        } else {
            VectorMask<Float> lanes = S16.indexInRange(0, rows);
            for (int k = 0; k < cols; k++) FloatVector.fromArray(S16, src, s + k, offsets, 0).intoArray(dst, d + k * width, lanes);
        }
    }

    /**
     * {@link #transposeInto} in scalar code. Four k at a time, so that each row is read four floats in a row and each
     * write burst fills four panel rows (about a fifth faster than one k at a time, measured on the seed MLP's weight).
     */
    static void scalar(float[] src, int s, int ld, int rows, int cols, float[] dst, int d, int width) {
        int k = 0;
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
}
