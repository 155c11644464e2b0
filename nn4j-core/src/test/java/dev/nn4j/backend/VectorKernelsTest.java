package dev.nn4j.backend;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parity of every kernel {@link VectorKernels} overrides with {@link ScalarKernels} over odd sizes, offsets,
 * broadcasts and non-finite values. Kernels that keep the scalar order of operations must match bit for bit;
 * the others carry their tolerance, and why it is the right one, next to the assertion.
 */
class VectorKernelsTest {
    private static final int[] SIZES = {1, 3, 7, 13, 31, 100, 127};
    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            Float.MIN_VALUE, -Float.MIN_NORMAL, 1e-30f, 88.5f, -88.5f, 100f, -104f, 1f, -1f};

    private final ScalarKernels scalar = new ScalarKernels();
    private final VectorKernels vector = new VectorKernels();

    // ------------------------------------------------------------------ matmul

    @Test
    void matmulMatchesFloat64ReferenceForAllLayoutsOddSizesAndOffsets() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int M : SIZES) for (int N : SIZES) for (int K : SIZES) {
            for (int t = 0; t < 4; t++) checkMatmul(rnd, M, N, K, (t & 1) != 0, (t & 2) != 0, true);
        }
        int[][] large = {{257, 301, 299}, {300, 33, 289}, {5, 299, 513}, {97, 1, 300}, {1, 263, 271}, {37, 531, 260}};
        for (int[] s : large) for (int t = 0; t < 4; t++) checkMatmul(rnd, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, false);
    }

    /** The k blocks cover K in equal blocks (to one) of at most 1.5·KC, with no short tail; the cnn's depths are whole blocks. */
    @Test
    void kBlocksSplitDepthEvenlyWithinOneAndAHalfKc() {
        assertEquals(288, PackedGemm.kBlock(288));
        assertEquals(288, PackedGemm.kBlock(576));
        assertEquals(262, PackedGemm.kBlock(784));
        assertEquals(PackedGemm.KC, PackedGemm.kBlock(4 * PackedGemm.KC));
        for (int K = 1; K <= 5000; K++) {
            int kc = PackedGemm.kBlock(K), blocks = (K + kc - 1) / kc, last = K - (blocks - 1) * kc;
            assertTrue(kc >= 1 && kc <= PackedGemm.KC * 3 / 2, "K=" + K + ": block " + kc);
            assertTrue(last >= kc - blocks && last <= kc, "K=" + K + ": block " + kc + ", last " + last);
        }
    }

    /**
     * x·Wᵀ with few output columns, or few rows of a long K, goes through row-dot-row tiles: four rows at a time
     * (4×4 with 512-bit vectors, two 4×2 with 256-bit) and the rest one row at a time (1×4); with 512-bit vectors the
     * last two columns take 8×2 tiles and a last single column 16×1 tiles. A row's result must not depend on which
     * tile computed it, so a batch's rows equal the same rows computed alone (batch 1) bit for bit, with and without
     * bias, for K with and without a scalar tail. K = 256 is the MLP's 10-class layer, whose batch-1 product (2,560
     * multiply-adds) once took the scalar loop instead; 64 columns at K = 784 are wide but few rows; 11 and 37 columns
     * end in three and one.
     */
    @Test
    void rowDotRowTilesGiveARowTheSameBitsAloneAsInABatch() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] kn : new int[][] {{784, 10}, {785, 10}, {256, 10}, {37, 10}, {784, 64}, {790, 37}, {256, 11}, {400, 37}}) {
            int M = 19, K = kn[0], N = kn[1];
            float[] a = random(rnd, M * K), w = random(rnd, N * K), bias = random(rnd, N);
            for (float[] b : new float[][] {null, bias}) {
                float[] batch = new float[M * N];
                if (b == null) vector.matmul(a, 0, false, w, 0, true, batch, 0, M, N, K);
                else vector.linear(a, 0, false, w, 0, true, b, batch, 0, M, N, K);
                for (int m = 0; m < M; m++) {
                    float[] alone = new float[N];
                    if (b == null) vector.matmul(a, m * K, false, w, 0, true, alone, 0, 1, N, K);
                    else vector.linear(a, m * K, false, w, 0, true, b, alone, 0, 1, N, K);
                    for (int n = 0; n < N; n++) assertSameFloat(batch[m * N + n], alone[n], "K=" + K + " row " + m + " column " + n);
                }
            }
        }
    }

    /**
     * {@code linearAligned} reads W from its native copy for one to three rows (1 × 4 tiles, then single columns) and
     * takes {@code linear} for more: every row count must give {@code linear}'s bits, with and without bias, for K with
     * and without a scalar tail (and K below a vector, the scalar loop), N with and without whole 1 × 4 tiles, offsets
     * into A and C, and one, two and three threads (3 × 1027 × 790 is split over threads).
     */
    @Test
    void linearAlignedGivesLinearsBitsForEveryRowCountAndThreadCount() {
        SplittableRandom rnd = new SplittableRandom(13);
        int before = Threads.get();
        try (Arena arena = Arena.ofShared()) {  // shared: the kernel's threads read it
            int[][] kns = {{784, 256}, {784, 10}, {256, 10}, {790, 37}, {17, 5}, {16, 3}, {5, 7}, {3 * VectorKernels.L + 1, 1}, {790, 1027}};
            for (int threads : new int[] {1, 2, 3}) {
                Threads.set(threads);
                for (int[] kn : kns) {
                    int K = kn[0], N = kn[1];
                    float[] w = random(rnd, N * K), bias = random(rnd, N);
                    MemorySegment aligned = arena.allocate((long) N * K * Float.BYTES, 64);
                    MemorySegment.copy(w, 0, aligned, ValueLayout.JAVA_FLOAT, 0, N * K);
                    for (int M = 1; M <= 7; M++) {
                        float[] a = random(rnd, 3 + M * K);
                        for (float[] b : new float[][] {null, bias}) {
                            float[] expected = new float[2 + M * N], got = new float[2 + M * N];
                            vector.linear(a, 3, false, w, 0, true, b, expected, 2, M, N, K);
                            vector.linearAligned(a, 3, w, aligned, b, got, 2, M, N, K);
                            for (int i = 0; i < M * N; i++) {
                                assertSameFloat(expected[2 + i], got[2 + i], M + " x " + N + " x " + K + (b == null ? "" : " + bias")
                                        + ", threads " + threads + ", entry " + i);
                            }
                        }
                    }
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void matmulHandlesEmptyDimensions() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int[] s : new int[][]{{0, 5, 3}, {4, 0, 3}, {4, 5, 0}, {0, 0, 0}, {40, 50, 0}}) {
            for (int t = 0; t < 4; t++) checkMatmul(rnd, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, true);
        }
    }

    /**
     * Runs the public {@code matmul} (which sends small problems to the scalar loop) and, when {@code small},
     * also the packed GEMM directly, so that its edge tiles are exercised at every size, and the scalar reference,
     * to show the tolerance holds for it too (skipped at large sizes, where it is slow). Tolerance: any summation order
     * of K products has |c − ref| ≤ K·u·Σ_k|a_mk·b_kn| (u = 2⁻²⁴, Higham's γ_K bound); we allow twice that.
     * With the brief's scale (|c − ref| ≲ 1e-5·K relative) this is stricter by two orders of magnitude.
     */
    private void checkMatmul(SplittableRandom rnd, int M, int N, int K, boolean transA, boolean transB, boolean small) {
        int aOff = 3, bOff = 5, cOff = 7, guard = 11;
        float[] a = random(rnd, aOff + M * K), b = random(rnd, bOff + K * N);
        // ref[m,n] = Σ_k A(m,k)·B(k,n) in double; scale[m,n] = Σ_k |A(m,k)·B(k,n)|
        double[] ref = new double[M * N], scale = new double[M * N];
        for (int m = 0; m < M; m++) for (int n = 0; n < N; n++) {
            double s = 0, abs = 0;
            for (int k = 0; k < K; k++) {
                double p = (double) a[aOff + (transA ? k * M + m : m * K + k)] * b[bOff + (transB ? n * K + k : k * N + n)];
                s += p;
                abs += Math.abs(p);
            }
            ref[m * N + n] = s;
            scale[m * N + n] = abs;
        }
        String where = "M=" + M + " N=" + N + " K=" + K + " transA=" + transA + " transB=" + transB;
        for (int variant = small ? 0 : 1; variant < (small ? 3 : 2); variant++) {
            float[] c = new float[cOff + M * N + guard];
            Arrays.fill(c, 42f);
            Arrays.fill(c, cOff, cOff + M * N, Float.NaN); // matmul overwrites: stale values must not leak in
            switch (variant) {
                case 0 -> scalar.matmul(a, aOff, transA, b, bOff, transB, c, cOff, M, N, K);
                case 1 -> vector.matmul(a, aOff, transA, b, bOff, transB, c, cOff, M, N, K);
                default -> PackedGemm.gemm(a, aOff, transA, b, bOff, transB, c, cOff, M, N, K);
            }
            String name = new String[]{"scalar", "vector", "packed"}[variant] + " " + where;
            for (int i = 0; i < cOff; i++) assertEquals(42f, c[i], name + ": wrote before C");
            for (int i = cOff + M * N; i < c.length; i++) assertEquals(42f, c[i], name + ": wrote after C");
            for (int i = 0; i < M * N; i++) {
                double tol = 2.0 * K * 0x1p-24 * scale[i];
                double err = Math.abs(c[cOff + i] - ref[i]);
                if (!(err <= tol)) fail(name + ": C[" + i / N + "," + i % N + "] = " + c[cOff + i] + " but float64 gives " + ref[i] + " (tolerance " + tol + ")");
            }
        }
    }

    /**
     * {@code matmulAdd} on a C of zeros gives {@code matmul}'s result (each kernel against itself, so the same sums in
     * the same order; compared with {@code ==}, under which the −0 that accumulation turns into +0 is equal), and on
     * a nonzero C it adds: |c − (c₀ + ref)| ≤ 2K·u·Σ|a·b| + u·|c₀| (the product's bound of {@link #checkMatmul}
     * plus the rounding of the one addition to c₀). Sizes cover every path: scalar, few rows, dot tiles, packed
     * GEMM with several KC blocks.
     */
    @Test
    void matmulAddOnZerosEqualsMatmulAndOtherwiseAccumulates() {
        SplittableRandom rnd = new SplittableRandom(4);
        int[][] shapes = {{3, 7, 13}, {13, 31, 7}, {3, 100, 31}, {100, 3, 31}, {31, 127, 100}, {64, 300, 600}, {257, 33, 299}};
        for (int[] s : shapes) for (int t = 0; t < 4; t++) {
            int M = s[0], N = s[1], K = s[2], cOff = 5;
            boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
            float[] a = random(rnd, M * K), b = random(rnd, K * N), c0 = random(rnd, cOff + M * N);
            String where = "M=" + M + " N=" + N + " K=" + K + " transA=" + transA + " transB=" + transB;
            for (ScalarKernels k : new ScalarKernels[]{scalar, vector}) {
                float[] product = new float[cOff + M * N], zeros = new float[cOff + M * N], acc = c0.clone();
                k.matmul(a, 0, transA, b, 0, transB, product, cOff, M, N, K);
                k.matmulAdd(a, 0, transA, b, 0, transB, zeros, cOff, M, N, K);
                k.matmulAdd(a, 0, transA, b, 0, transB, acc, cOff, M, N, K);
                String name = k.getClass().getSimpleName() + " " + where;
                for (int i = 0; i < cOff; i++) assertEquals(c0[i], acc[i], name + ": wrote before C");
                for (int i = cOff; i < cOff + M * N; i++) {
                    if (product[i] != zeros[i]) fail(name + ": on zeros C[" + (i - cOff) + "] = " + zeros[i] + " but matmul gives " + product[i]);
                    double scale = 0;
                    int m = (i - cOff) / N, n = (i - cOff) % N;
                    for (int q = 0; q < K; q++) scale += Math.abs((double) a[transA ? q * M + m : m * K + q] * b[transB ? n * K + q : q * N + n]);
                    double tol = 2.0 * K * 0x1p-24 * scale + 0x1p-24 * Math.abs(c0[i]);
                    double err = Math.abs(acc[i] - ((double) c0[i] + product[i]));
                    if (!(err <= tol + 0x1p-24 * Math.abs(product[i]))) fail(name + ": C[" + (i - cOff) + "] = " + acc[i] + " but c0 + product = " + (c0[i] + product[i]));
                }
            }
        }
    }

    /**
     * {@code matmul} and {@code linear} overwrite C whatever it held: the packed GEMM stores its first KC block instead
     * of adding it to a zeroed C, so a tile it missed would keep the NaN put there. Shapes with edge tiles in both
     * directions, one and several KC blocks, and more than one NC block.
     */
    @Test
    void productsOverwriteWhateverCHeld() {
        SplittableRandom rnd = new SplittableRandom(8);
        int[][] shapes = {{64, 256, 784}, {257, 33, 299}, {50, 37, 17}, {130, 600, 70}, {784, 256, 64}};
        for (int[] s : shapes) for (int t = 0; t < 4; t++) {
            int M = s[0], N = s[1], K = s[2], cOff = 3;
            boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
            float[] a = random(rnd, M * K), b = random(rnd, K * N), bias = random(rnd, N);
            float[] clean = new float[cOff + M * N], dirty = new float[cOff + M * N];
            Arrays.fill(dirty, Float.NaN);
            String where = "M=" + M + " N=" + N + " K=" + K + " transA=" + transA + " transB=" + transB;
            vector.matmul(a, 0, transA, b, 0, transB, clean, cOff, M, N, K);
            vector.matmul(a, 0, transA, b, 0, transB, dirty, cOff, M, N, K);
            for (int i = cOff; i < clean.length; i++) assertEquals(Float.floatToRawIntBits(clean[i]), Float.floatToRawIntBits(dirty[i]), "matmul " + where + " at " + (i - cOff));
            Arrays.fill(dirty, Float.NaN);
            vector.linear(a, 0, transA, b, 0, transB, bias, clean, cOff, M, N, K);
            vector.linear(a, 0, transA, b, 0, transB, bias, dirty, cOff, M, N, K);
            for (int i = cOff; i < clean.length; i++) assertEquals(Float.floatToRawIntBits(clean[i]), Float.floatToRawIntBits(dirty[i]), "linear " + where + " at " + (i - cOff));
            for (int i = 0; i < cOff; i++) assertTrue(Float.isNaN(dirty[i]), "wrote before C");
        }
    }

    @Test
    void matmulPropagatesNaNAndInfinityLikeScalar() {
        SplittableRandom rnd = new SplittableRandom(3);
        int N = 45, K = 29;
        for (int M : new int[]{37, 3}) for (int t = 0; t < 4; t++) { // the packed GEMM and the few-rows paths
            boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
            float[] a = random(rnd, M * K), b = random(rnd, K * N);
            a[5] = Float.NaN;                   // poisons one row (or column) of C
            b[K * N / 2] = Float.POSITIVE_INFINITY;
            b[K * N / 2 + 3] = Float.NEGATIVE_INFINITY;
            b[7] = Float.POSITIVE_INFINITY;
            float[] cs = new float[M * N], cv = new float[M * N];
            scalar.matmul(a, 0, transA, b, 0, transB, cs, 0, M, N, K);
            vector.matmul(a, 0, transA, b, 0, transB, cv, 0, M, N, K);
            int nonFinite = 0;
            for (int i = 0; i < M * N; i++) {
                // NaN-ness and infinities do not depend on summation order (all finite terms are small)
                if (!Float.isFinite(cs[i])) {
                    nonFinite++;
                    assertEquals(cs[i], cv[i], "M=" + M + " transA=" + transA + " transB=" + transB + " C[" + i + "]");
                } else {
                    assertTrue(Float.isFinite(cv[i]), "C[" + i + "] = " + cv[i] + " but scalar gives " + cs[i]);
                }
            }
            assertTrue(nonFinite > N, "the test must poison at least a row's worth of C, got " + nonFinite);
        }
    }

    // ------------------------------------------------------------------ unary

    /** Every unary kernel, transcendental ones included, gives the scalar kernel's bits (so runs repeat exactly). */
    @Test
    void unaryKernelsMatchScalarBitForBit() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (UnaryFn fn : UnaryFn.values()) {
            for (int n : withZeroAndThousand()) {
                float[] x = withSpecials(rnd, n);
                float[] s = new float[n], v = new float[n];
                scalar.unary(fn, x, s, n);
                vector.unary(fn, x, v, n);
                for (int i = 0; i < n; i++) assertSameFloat(s[i], v[i], fn + " n=" + n + " x=" + x[i]);
            }
        }
    }

    /** ReLU's gradient keeps g's bits where x > 0 and gives g·0 elsewhere (−0 for a negative g, NaN for NaN or ∞). */
    @Test
    void reluGradMatchesScalarBitForBit() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int n : withZeroAndThousand()) {
            float[] g = withSpecials(rnd, n), x = withSpecials(rnd, n);
            float[] s = new float[n], v = new float[n];
            scalar.reluGrad(g, x, s, n);
            vector.reluGrad(g, x, v, n);
            for (int i = 0; i < n; i++) {
                assertSameFloat(s[i], v[i], "n=" + n + " g=" + g[i] + " x=" + x[i]);
                assertSameFloat(g[i] * (x[i] > 0f ? 1f : 0f), v[i], "n=" + n + " g=" + g[i] + " x=" + x[i]);
            }
        }
    }

    /**
     * Above {@link VectorKernels#ELEMENTWISE_PARALLEL} elements the element-wise kernels run in slices over threads:
     * each element must still get the scalar kernel's bits, for any thread count, including the slices' edges.
     */
    @Test
    void elementWiseKernelsInSlicesOverThreadsMatchScalarBitForBit() {
        SplittableRandom rnd = new SplittableRandom(12);
        int n = 8 * VectorKernels.ELEMENTWISE_PARALLEL + 13;
        float[] a = withSpecials(rnd, n + 4), b = withSpecials(rnd, n + 2);
        int before = Threads.get();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Threads.set(threads);
                for (UnaryFn fn : new UnaryFn[] {UnaryFn.NEG, UnaryFn.ABS, UnaryFn.RELU}) {
                    float[] s = new float[n], v = new float[n];
                    scalar.unary(fn, a, s, n);
                    vector.unary(fn, a, v, n);
                    for (int i = 0; i < n; i++) assertSameFloat(s[i], v[i], fn + " at " + i + ", threads " + threads);
                }
                float[] s = new float[n], v = new float[n];
                scalar.reluGrad(a, b, s, n);
                vector.reluGrad(a, b, v, n);
                for (int i = 0; i < n; i++) assertSameFloat(s[i], v[i], "reluGrad at " + i + ", threads " + threads);
                for (BinaryFn fn : new BinaryFn[] {BinaryFn.MUL, BinaryFn.SUB, BinaryFn.GT}) {
                    checkBinary(fn, a, 4, new int[] {1}, b, 2, new int[] {1}, new int[] {n}, "contiguous, threads " + threads);
                    checkBinary(fn, a, 0, new int[] {0}, b, 1, new int[] {1}, new int[] {n}, "scalar a, threads " + threads);
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void unaryWorksInPlace() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (UnaryFn fn : new UnaryFn[]{UnaryFn.NEG, UnaryFn.RELU, UnaryFn.TANH}) {
            float[] x = random(rnd, 37), expected = new float[37];
            vector.unary(fn, x, expected, 37);
            vector.unary(fn, x, x, 37);
            assertEquals(Arrays.toString(expected), Arrays.toString(x), fn.toString());
        }
    }

    // ------------------------------------------------------------------ binary

    /** Arithmetic, maximum, minimum and comparisons are exact in IEEE 754, so every path must equal the scalar bit for bit (NaN included). */
    @Test
    void binaryMatchesScalarBitForBitForEveryLayout() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (BinaryFn fn : BinaryFn.values()) {
            for (int n : withZeroAndThousand()) {
                int rows = 3;
                float[] a = withSpecials(rnd, 4 + rows * n), b = withSpecials(rnd, 2 + rows * n);
                int[] shape = {rows, n};
                int[] dense = {n, 1};
                // same shape, contiguous, nonzero offsets
                checkBinary(fn, a, 4, dense, b, 2, dense, shape, "contiguous");
                // one side a single value broadcast everywhere, either side
                checkBinary(fn, a, 4, dense, b, 2, new int[]{0, 0}, shape, "scalar b");
                checkBinary(fn, a, 4, new int[]{0, 0}, b, 2, dense, shape, "scalar a");
                // a row broadcast down the rows (bias add), and a column broadcast along each row
                checkBinary(fn, a, 4, dense, b, 2, new int[]{0, 1}, shape, "row b");
                checkBinary(fn, a, 4, new int[]{1, 0}, b, 2, dense, shape, "column a");
                // a transposed view: strided inner axis, delegated to the scalar kernel
                checkBinary(fn, a, 4, new int[]{1, rows}, b, 2, dense, shape, "transposed a");
            }
            // rank 0 and rank 3 with a broadcast middle axis
            float[] a = withSpecials(rnd, 2 * 5 * 33), b = withSpecials(rnd, 2 * 33);
            checkBinary(fn, a, 0, new int[0], b, 1, new int[0], new int[0], "rank 0");
            checkBinary(fn, a, 0, new int[]{165, 33, 1}, b, 0, new int[]{33, 0, 1}, new int[]{2, 5, 33}, "rank 3");
        }
    }

    private void checkBinary(BinaryFn fn, float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides, int[] shape, String layout) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] s = new float[n], v = new float[n];
        scalar.binary(fn, a, aOff, aStrides, b, bOff, bStrides, s, shape);
        vector.binary(fn, a, aOff, aStrides, b, bOff, bStrides, v, shape);
        for (int i = 0; i < n; i++) assertSameFloat(s[i], v[i], fn + " " + layout + " shape " + Arrays.toString(shape) + " at " + i);
    }

    // ------------------------------------------------------------------ sum

    /** With {@code inner > 1} the vector kernel adds in the scalar order, so results are identical. */
    @Test
    void sumOverStridedAxisMatchesScalarBitForBit() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int outer : new int[]{1, 3}) for (int R : new int[]{0, 1, 7, 100, 127}) for (int inner : new int[]{3, 13, 31, 100, 127}) {
            float[] x = random(rnd, outer * R * inner);
            float[] s = new float[outer * inner], v = new float[outer * inner];
            scalar.sum(x, outer, R, inner, s);
            vector.sum(x, outer, R, inner, v);
            for (int i = 0; i < s.length; i++) assertSameFloat(s[i], v[i], "outer=" + outer + " R=" + R + " inner=" + inner + " at " + i);
        }
    }

    /**
     * With {@code inner == 1} the scalar reference sums in double; the vector kernel sums blocks of 1024 in
     * 4·L float lanes and adds the block sums in double. A term then meets at most 1024/(4L) + 2 + (L − 1)
     * float roundings (33 for L = 16, 41 for L = 8), so |vector − Σx| ≤ 41·u·Σ|x| and the scalar's final
     * rounding adds u·Σ|x|: ≈ 2.5e-6·Σ|x| in all (u = 2⁻²⁴). We assert 3e-6·Σ|x|.
     */
    @Test
    void sumOverContiguousAxisIsWithinBlockedFloatTolerance() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int outer : new int[]{1, 3}) for (int R : new int[]{0, 1, 3, 7, 13, 31, 100, 127, 1000, 1025, 5000, 40_000}) {
            float[] x = random(rnd, outer * R);
            for (int i = 0; i < x.length; i += 3) x[i] += 0.5f; // a nonzero mean, so the sum grows with R
            float[] s = new float[outer], v = new float[outer];
            scalar.sum(x, outer, R, 1, s);
            vector.sum(x, outer, R, 1, v);
            for (int o = 0; o < outer; o++) {
                double abs = 0;
                for (int r = 0; r < R; r++) abs += Math.abs(x[o * R + r]);
                double tol = 3e-6 * abs;
                assertTrue(Math.abs(s[o] - v[o]) <= tol, "R=" + R + ": scalar " + s[o] + ", vector " + v[o] + ", tolerance " + tol);
            }
        }
    }

    @Test
    void sumPropagatesNaNAndInfinityLikeScalar() {
        float inf = Float.POSITIVE_INFINITY;
        float[][] cases = {{1f, Float.NaN, 2f}, {inf, 1f, 2f}, {inf, -inf, 0f}, {-inf, -inf, 3f}};
        for (float[] head : cases) {
            for (int R : new int[]{3, 100, 2000}) for (int at : new int[]{0, (R - 3) / 2, R - 3}) {
                float[] x = new float[R];
                Arrays.fill(x, 0.25f);
                System.arraycopy(head, 0, x, at, 3); // in vector lanes, a later block, or the scalar tail
                float[] s = new float[1], v = new float[1];
                scalar.sum(x, 1, R, 1, s);
                vector.sum(x, 1, R, 1, v);
                assertSameFloat(s[0], v[0], Arrays.toString(head) + " R=" + R + " at " + at);
                float[] xs = new float[R * 17];
                for (int r = 0; r < R; r++) Arrays.fill(xs, r * 17, r * 17 + 17, x[r]);
                float[] s17 = new float[17], v17 = new float[17];
                scalar.sum(xs, 1, R, 17, s17);
                vector.sum(xs, 1, R, 17, v17);
                for (int i = 0; i < 17; i++) assertSameFloat(s17[i], v17[i], Arrays.toString(head) + " R=" + R + " inner=17");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static int[] withZeroAndThousand() {
        int[] n = Arrays.copyOf(SIZES, SIZES.length + 2);
        n[SIZES.length + 1] = 1000;
        return n; // the odd sizes, then 0 and 1000
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    /** Values in [-10, 10] with every special value sprinkled in, both in vector lanes and in the scalar tail. */
    private static float[] withSpecials(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 20 - 10);
        for (int i = 0; i < n; i++) if (rnd.nextInt(4) == 0) x[i] = SPECIALS[rnd.nextInt(SPECIALS.length)];
        return x;
    }

    /** Same value, with NaN equal to NaN and +0 distinct from −0. */
    private static void assertSameFloat(float expected, float actual, String where) {
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) fail(where + ": expected " + expected + " but got " + actual);
    }
}
