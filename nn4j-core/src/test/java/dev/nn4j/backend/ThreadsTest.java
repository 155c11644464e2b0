package dev.nn4j.backend;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
        float[] a = Tensor.randn(gen, 97, 301).toFloatArray(), b = Tensor.randn(gen, 301, 333).toFloatArray();
        float[] reference = null;
        for (int threads : new int[] {1, 2, 3, 7}) {
            Threads.set(threads);
            for (boolean transB : new boolean[] {false, true}) {
                float[] c = new float[97 * 333];
                VectorKernels.gemm(a, 0, false, b, 0, transB, c, 0, 97, 333, 301);
                if (!transB) {
                    if (reference == null) reference = c;
                    else assertArrayEquals(reference, c, threads + " threads");
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

    @Test
    void threadCountMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.set(0));
        assertEquals("the number of threads must be at least 1 but was 0", e.getMessage());
    }
}
