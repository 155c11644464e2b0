package dev.nn4j.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelWarmUpTest {
    /** Counts the calls of each kind that reach the kernels, and runs them. */
    private static final class Counting extends ScalarKernels {
        int matmul, linear, matmulAdd;
        private boolean inLinear;  // the scalar linear calls matmul itself

        @Override
        public void matmul(float[] a, int ao, boolean ta, float[] b, int bo, boolean tb, float[] c, int co, int M, int N, int K) {
            if (!inLinear) matmul++;
            super.matmul(a, ao, ta, b, bo, tb, c, co, M, N, K);
        }

        @Override
        public void linear(float[] a, int ao, boolean ta, float[] b, int bo, boolean tb, float[] bias, float[] c, int co, int M, int N, int K) {
            linear++;
            inLinear = true;
            super.linear(a, ao, ta, b, bo, tb, bias, c, co, M, N, K);
            inLinear = false;
        }

        @Override
        public void matmulAdd(float[] a, int ao, boolean ta, float[] b, int bo, boolean tb, float[] c, int co, int M, int N, int K) {
            matmulAdd++;
            super.matmulAdd(a, ao, ta, b, bo, tb, c, co, M, N, K);
        }
    }

    @Test
    void warmUpCallsEveryProductKindUntilItsRoundsAreDone() {
        Counting k = new Counting();
        long calls = KernelWarmUp.run(k, 60_000_000_000L);
        assertEquals(k.matmul + k.linear + k.matmulAdd, calls);
        assertEquals(6L * KernelWarmUp.ROUNDS, calls, "six paths, every round");
        assertTrue(k.matmul > 0 && k.linear > 0 && k.matmulAdd > 0);
    }

    @Test
    void packedProductsTakeEveryEdgeTileHeightWithEachCallKind() {
        // a row count that is not a multiple of MR leaves an edge tile of M % MR rows; each must appear with matmul,
        // linear and matmulAdd (round % 3), on the packed path
        for (KernelWarmUp.Shape sh : KernelWarmUp.SHAPES) {
            if (!sh.edges()) continue;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int round = 0; round < KernelWarmUp.ROUNDS; round++) {
                int m = sh.rows(round);
                assertTrue(VectorKernels.packedPath(sh.transA(), sh.transB(), m, sh.N(), sh.K()), sh + " with " + m + " rows");
                seen.add(m % PackedGemm.MR + "/" + round % 3);
            }
            assertEquals(3 * PackedGemm.MR, seen.size(), sh + ": " + seen);
        }
    }

    @Test
    void warmUpStopsAtItsDeadline() {
        assertEquals(0, KernelWarmUp.run(new Counting(), 0));
    }
}
