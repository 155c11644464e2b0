package dev.nn4j.backend;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadsTest {
    private final int saved = Threads.get();

    @AfterEach
    void restore() {
        Threads.set(saved);
    }

    @Test
    void gemmResultsAreBitIdenticalForAnyThreadCount() {
        Generator gen = new Generator(3);
        // large enough to be split (M·N·K well above PARALLEL_WORK), with ragged panels (N not a multiple of NR)
        // transB (x·Wᵀ) with 97 rows takes gemmNT, split over groups of four columns instead of panels
        float[] a = Tensor.randn(gen, 97, 301).toFloatArray(), b = Tensor.randn(gen, 301, 333).toFloatArray();
        float[][] reference = new float[2][];
        for (int threads : new int[] {1, 2, 3, 7}) {
            Threads.set(threads);
            for (int t = 0; t < 2; t++) {
                boolean transB = t == 1;
                float[] c = new float[97 * 333];
                PackedGemm.gemm(a, 0, false, b, 0, transB, c, 0, 97, 333, 301);
                if (reference[t] == null) reference[t] = c;
                else assertArrayEquals(reference[t], c, threads + " threads, transB " + transB);
            }
        }
    }

    /**
     * x·Wᵀ split over threads, against a float64 reference: A packed once and shared by the tasks (several row and k
     * blocks: 100 rows, K = 2000), and too large to share (K = 12000), each with a bias or accumulating into C.
     */
    @Test
    void gemmNTSplitOverThreadsMatchesReference() {
        Generator gen = new Generator(5);
        for (int[] shape : new int[][] {{100, 37, 2000}, {100, 9, 12000}, {48, 130, 784}}) {
            int M = shape[0], N = shape[1], K = shape[2];
            float[] a = Tensor.randn(gen, M, K).toFloatArray(), b = Tensor.randn(gen, N, K).toFloatArray();
            float[] bias = Tensor.randn(gen, N).toFloatArray(), start = Tensor.randn(gen, M, N).toFloatArray();
            for (boolean accumulate : new boolean[] {false, true}) {
                double[] expected = new double[M * N];
                for (int i = 0; i < M; i++) {
                    for (int j = 0; j < N; j++) {
                        double sum = accumulate ? start[i * N + j] : bias[j];
                        for (int k = 0; k < K; k++) sum += (double) a[i * K + k] * b[j * K + k];
                        expected[i * N + j] = sum;
                    }
                }
                for (int threads : new int[] {1, 2, 3}) {
                    Threads.set(threads);
                    float[] c = accumulate ? start.clone() : new float[M * N];
                    PackedGemm.gemm(a, 0, false, b, 0, true, accumulate ? null : bias, c, 0, M, N, K, accumulate);
                    for (int e = 0; e < M * N; e++) {
                        assertEquals(expected[e], c[e], 2e-3, M + "x" + N + "x" + K + ", " + threads + " threads, accumulate "
                                + accumulate + ", entry " + e);
                    }
                }
            }
        }
    }

    @Test
    void forEachRunsEveryTaskOnceAndRethrows() {
        Threads.set(3);
        AtomicIntegerArray seen = new AtomicIntegerArray(50);
        Threads.forEach(50, i -> seen.incrementAndGet(i));
        for (int i = 0; i < 50; i++) assertEquals(1, seen.get(i), "task " + i);
        RuntimeException e = assertThrows(RuntimeException.class, () -> Threads.forEach(10, i -> {
            if (i == 7) throw new IllegalStateException("task 7 failed");
        }));
        assertTrue(String.valueOf(e.getMessage()).contains("task 7 failed") || String.valueOf(e.getCause()).contains("task 7 failed"), e.toString());
    }

    /**
     * Tasks are claimed one at a time: while one thread is held up in task 0, the other takes every remaining task.
     * Task 0 waits for the others to finish, which a fixed split (task 0 and every second task on one thread) never
     * allows; it would time out.
     */
    @Test
    void aHeldUpThreadLeavesTheRemainingTasksToTheOther() throws InterruptedException {
        Threads.set(2);
        int tasks = 20;
        CountDownLatch others = new CountDownLatch(tasks - 1);
        AtomicBoolean waited = new AtomicBoolean();
        AtomicIntegerArray seen = new AtomicIntegerArray(tasks);
        Threads.forEach(tasks, i -> {
            seen.incrementAndGet(i);
            if (i > 0) {
                others.countDown();
                return;
            }
            try {
                waited.set(others.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(waited.get(), "task 0 waited in vain: the other tasks were not taken by the other thread");
        for (int i = 0; i < tasks; i++) assertEquals(1, seen.get(i), "task " + i);
    }

    @Test
    void threadCountMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.set(0));
        assertEquals("the number of threads must be at least 1 but was 0", e.getMessage());
    }
}
