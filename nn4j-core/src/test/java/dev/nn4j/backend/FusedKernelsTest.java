package dev.nn4j.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parity of the fused kernels ({@link Kernels#linear}, {@link Kernels#adam}) between {@link VectorKernels} and
 * {@link ScalarKernels} over odd sizes, every layout, the seed MLP's shapes and one or two threads.
 */
class FusedKernelsTest {
    private static final int[] SIZES = {1, 3, 7, 13, 31, 100};

    private final ScalarKernels scalar = new ScalarKernels();
    private final VectorKernels vector = new VectorKernels();
    private final int threads = Threads.get();

    @AfterEach
    void restoreThreads() {
        Threads.set(threads);
    }

    // ------------------------------------------------------------------ linear

    @Test
    void linearMatchesFloat64ReferenceForAllLayoutsAndPaths() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int M : SIZES) for (int N : SIZES) for (int K : SIZES) {
            for (int t = 0; t < 4; t++) checkLinear(rnd, M, N, K, (t & 1) != 0, (t & 2) != 0);
        }
        // the seed MLP (batch 64 and 1: packed, narrow and few-row paths) and K over several KC blocks
        int[][] shapes = {{64, 256, 784}, {64, 10, 256}, {1, 256, 784}, {1, 10, 256}, {256, 10, 256}, {37, 45, 600}, {256, 64, 300}};
        for (int[] s : shapes) for (int t = 0; t < 4; t++) checkLinear(rnd, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0);
    }

    /**
     * Both kernels against {@code Σ_k A(m,k)·B(k,n) + bias[n]} in double. Tolerance as for matmul in
     * {@code VectorKernelsTest}: any order of the K + 1 additions is within {@code (K+1)·u·(Σ|a·b| + |bias|)}; we
     * allow twice that. Without a bias the result must equal {@link Kernels#matmul} bit for bit.
     */
    private void checkLinear(SplittableRandom rnd, int M, int N, int K, boolean transA, boolean transB) {
        int aOff = 3, bOff = 5, cOff = 7, guard = 11;
        float[] a = random(rnd, aOff + M * K), b = random(rnd, bOff + K * N), bias = random(rnd, N);
        double[] ref = new double[M * N], scale = new double[M * N];
        for (int m = 0; m < M; m++) for (int n = 0; n < N; n++) {
            double s = bias[n], abs = Math.abs(bias[n]);
            for (int k = 0; k < K; k++) {
                double p = (double) a[aOff + (transA ? k * M + m : m * K + k)] * b[bOff + (transB ? n * K + k : k * N + n)];
                s += p;
                abs += Math.abs(p);
            }
            ref[m * N + n] = s;
            scale[m * N + n] = abs;
        }
        String where = "M=" + M + " N=" + N + " K=" + K + " transA=" + transA + " transB=" + transB;
        for (Kernels k : new Kernels[] {scalar, vector}) {
            float[] c = new float[cOff + M * N + guard];
            Arrays.fill(c, 42f);
            Arrays.fill(c, cOff, cOff + M * N, Float.NaN); // overwritten, never read
            k.linear(a, aOff, transA, b, bOff, transB, bias, c, cOff, M, N, K);
            String name = k.getClass().getSimpleName() + " " + where;
            for (int i = 0; i < cOff; i++) assertEquals(42f, c[i], name + ": wrote before C");
            for (int i = cOff + M * N; i < c.length; i++) assertEquals(42f, c[i], name + ": wrote after C");
            for (int i = 0; i < M * N; i++) {
                double tol = 2.0 * (K + 1) * 0x1p-24 * scale[i];
                double err = Math.abs(c[cOff + i] - ref[i]);
                if (!(err <= tol)) fail(name + ": C[" + i / N + "," + i % N + "] = " + c[cOff + i] + " but float64 gives " + ref[i] + " (tolerance " + tol + ")");
            }
            float[] noBias = new float[M * N], product = new float[M * N];
            k.linear(a, aOff, transA, b, bOff, transB, null, noBias, 0, M, N, K);
            k.matmul(a, aOff, transA, b, bOff, transB, product, 0, M, N, K);
            assertArrayEquals(product, noBias, name + ": linear without a bias must equal matmul");
        }
    }

    @Test
    void linearDoesNotDependOnTheThreadCount() {
        checkThreadIndependence(64, 256, 784);   // packed GEMM, split by column panels
        checkThreadIndependence(256, 256, 784);  // packed GEMM whose shared op(A), three row blocks by three k blocks, is packed over the threads
        checkThreadIndependence(1027, 10, 785);  // narrow C: row-dot-row tiles, split by groups of 16 rows, odd M and K
        checkThreadIndependence(64, 10, 256);    // the seed MLP's last layer at batch 64: two groups of 32 rows
        checkThreadIndependence(48, 3, 256);     // three groups of 16 rows over two threads
        checkThreadIndependence(256, 20, 784);   // 20 columns: blocks of 4 columns again
        checkThreadIndependence(5, 601, 1000);   // few rows: 1 × 4 dot tiles and a 1 × 1 edge column
    }

    private void checkThreadIndependence(int M, int N, int K) {
        SplittableRandom rnd = new SplittableRandom(12);
        float[] a = random(rnd, M * K), b = random(rnd, N * K), bias = random(rnd, N);
        float[] one = new float[M * N], two = new float[M * N];
        Threads.set(1);
        vector.linear(a, 0, false, b, 0, true, bias, one, 0, M, N, K);
        Threads.set(2);
        vector.linear(a, 0, false, b, 0, true, bias, two, 0, M, N, K);
        assertArrayEquals(one, two);
    }

    // ------------------------------------------------------------------ lane sums

    /**
     * Dot products and contiguous sums end in {@link VectorKernels#sumLanes}, whose order must be fixed (a butterfly:
     * lane i adds lane i ^ s for s = L/2 … 1), not left to the JIT: otherwise a result depends on whether the caller
     * ran interpreted or compiled. Values spanning many magnitudes make every order round differently.
     */
    @Test
    void laneSumsFollowOneFixedOrder() {
        SplittableRandom rnd = new SplittableRandom(14);
        int L = VectorKernels.L;
        for (int t = 0; t < 2000; t++) {
            float[] lanes = new float[L];
            for (int i = 0; i < L; i++) lanes[i] = (float) ((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(-4, 5)));
            float[] b = lanes.clone();
            for (int s = L / 2; s >= 1; s /= 2) {
                float[] next = new float[L];
                for (int i = 0; i < L; i++) next[i] = b[i] + b[i ^ s];
                b = next;
            }
            float got = VectorKernels.sumLanes(jdk.incubator.vector.FloatVector.fromArray(VectorKernels.S, lanes, 0));
            assertEquals(b[0], got, "lanes " + Arrays.toString(lanes));
        }
    }

    // ------------------------------------------------------------------ adam

    @Test
    void adamMatchesScalarBitForBitInEveryMode() {
        SplittableRandom rnd = new SplittableRandom(13);
        int[] sizes = {1, 3, 7, 13, 31, 100, 127, 1000, 3 * VectorKernels.ELEMENTWISE_PARALLEL + 5};
        for (int n : sizes) {
            for (int mode = 0; mode < 4; mode++) {
                boolean decoupled = mode == 1, amsgrad = mode == 3;
                float l2 = mode == 2 ? 0.01f : 0f;
                // step 3 of lr 1e-3, β = (0.9, 0.999): −lr/(1−β₁³) and √(1−β₂³), as AdamRule computes them
                AdamStep s = new AdamStep(0.9f, (float) (1 - 0.9), 0.999f, (float) (1 - 0.999), 1e-8f, l2, decoupled,
                        decoupled ? (float) (1 - 1e-3 * 0.01) : 1f, (float) -(1e-3 / (1 - Math.pow(0.9, 3))),
                        (float) Math.sqrt(1 - Math.pow(0.999, 3)));
                for (int t = 1; t <= 2; t++) {
                    Threads.set(t);
                    checkAdam(rnd, s, n, amsgrad, "n=" + n + " mode=" + mode + " threads=" + t);
                }
            }
        }
    }

    private void checkAdam(SplittableRandom rnd, AdamStep s, int n, boolean amsgrad, String where) {
        float[] p = random(rnd, n), g = random(rnd, n), m = random(rnd, n), v = squares(rnd, n);
        float[] vMax = amsgrad ? squares(rnd, n) : null;
        if (n > 7) {
            g[3] = Float.NaN;                    // NaN and infinities follow the scalar rule element for element
            g[5] = Float.POSITIVE_INFINITY;
            p[6] = Float.NEGATIVE_INFINITY;
            v[7] = 0f;
        }
        if (n > 11) {                            // moments that become subnormal are stored as zero
            g[8] = g[9] = g[10] = g[11] = 0f;
            m[8] = 1.3e-38f;                     // ·0.9 is subnormal
            m[9] = -1.3e-38f;
            m[10] = 1.4e-38f;                    // ·0.9 = 1.26e-38 stays normal
            v[11] = 1.1e-38f;                    // ·0.999 is subnormal
        }
        float[][] ref = {p.clone(), g.clone(), m.clone(), v.clone(), vMax == null ? null : vMax.clone()};
        scalar.adam(s, ref[0], ref[1], ref[2], ref[3], ref[4], n);
        vector.adam(s, p, g, m, v, vMax, n);
        assertArrayEquals(ref[0], p, where + ": parameter");
        assertArrayEquals(ref[1], g, where + ": the gradient must not change");
        assertArrayEquals(ref[2], m, where + ": exp_avg");
        assertArrayEquals(ref[3], v, where + ": exp_avg_sq");
        if (vMax != null) assertArrayEquals(ref[4], vMax, where + ": max_exp_avg_sq");
        if (n > 11 && s.l2() == 0) {            // (an L2 term makes those gradients non-zero)
            assertEquals(0f, m[8], where);
            assertEquals(0f, m[9], where);
            assertEquals(1.4e-38f * 0.9f, m[10], where);
            assertEquals(0f, v[11], where);
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    /** Non-negative values, as second moments are. */
    private static float[] squares(SplittableRandom rnd, int n) {
        float[] x = random(rnd, n);
        for (int i = 0; i < n; i++) x[i] *= x[i];
        return x;
    }
}
