package dev.nn4j.backend;

import java.util.SplittableRandom;

/**
 * Runs every matmul path of the kernels on small operands until the JIT has compiled them, so that real work does
 * not start in interpreted Vector API code: interpreted, one seed-MLP forward product (64 × 784 · 784 × 256 through
 * the dot tiles) took 50–100 ms instead of 0.3 ms for the first 0.7 s of a JVM (measured after a 1024³ GEMM had
 * compiled the packed path). Small operands reach the compile thresholds in thousands of cheap calls instead of a
 * few slow ones. Products are computed on throwaway arrays; nothing global changes.
 *
 * <p>The packed products take every row count modulo the register tile's height in turn, so that the JIT compiles
 * the micro-kernel's edge tiles of every height. Warmed with whole tiles and 4-row edges only, the compiled kernel
 * hit an untaken branch at the last batch of the MLP's first epoch (32 rows: a 2-row edge of the 6-row tile then),
 * fell back to the interpreter and was compiled again during epoch 2.
 */
final class KernelWarmUp {
    /** Calls per path at most; C2 compiles a method after a few thousand invocations and loop iterations. */
    static final int ROUNDS = 3000;

    /**
     * One matmul path of {@code VectorKernels}: C[M,N] = op(A)[M,K] · op(B)[K,N]; with {@code edges}, round r uses
     * {@code M + (r / 3) % MR} rows.
     */
    record Shape(int M, int N, int K, boolean transA, boolean transB, boolean edges) {
        int rows(int round) {
            return edges ? M + (round / 3) % PackedGemm.MR : M;  // every height with each of the three call kinds
        }
    }

    static final Shape[] SHAPES = {
            new Shape(2, 64, 64, false, false, false),   // fewer rows than a register tile, times B
            new Shape(12, 64, 64, false, false, true),   // the packed GEMM, A·B
            new Shape(16, 48, 40, true, false, true),    // the packed GEMM, Aᵀ·B (weight gradients)
            new Shape(17, 11, 68, false, true, false),   // dot tiles: 4 × 4 (or 4 × 2), 1 × 4, 8 × 2, 16 × 1, single columns, a scalar tail
            new Shape(1, 40, 64, false, true, false),    // dot tiles at batch 1
            new Shape(96, 32, 20, false, true, true),    // the packed GEMM, A·Bᵀ (many rows)
    };

    private KernelWarmUp() {}

    /** Warms {@code kernels} for at most {@code maxNanos}; returns the number of calls made. */
    static long run(Kernels kernels, long maxNanos) {
        long deadline = System.nanoTime() + maxNanos, calls = 0;
        SplittableRandom random = new SplittableRandom(1);
        float[][] a = new float[SHAPES.length][], b = new float[SHAPES.length][], c = new float[SHAPES.length][];
        float[][] bias = new float[SHAPES.length][];
        for (int s = 0; s < SHAPES.length; s++) {
            Shape sh = SHAPES[s];
            int maxM = sh.M + PackedGemm.MR;
            a[s] = random(random, maxM * sh.K);
            b[s] = random(random, sh.K * sh.N);
            c[s] = new float[maxM * sh.N];
            bias[s] = random(random, sh.N);
        }
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
            for (int s = 0; s < SHAPES.length; s++) {
                Shape sh = SHAPES[s];
                int m = sh.rows(round);
                switch (round % 3) {
                    case 0 -> kernels.matmul(a[s], 0, sh.transA, b[s], 0, sh.transB, c[s], 0, m, sh.N, sh.K);
                    case 1 -> kernels.linear(a[s], 0, sh.transA, b[s], 0, sh.transB, bias[s], c[s], 0, m, sh.N, sh.K);
                    default -> kernels.matmulAdd(a[s], 0, sh.transA, b[s], 0, sh.transB, c[s], 0, m, sh.N, sh.K);
                }
                calls++;
            }
        }
        return calls;
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextDouble(-1, 1);
        return x;
    }
}
