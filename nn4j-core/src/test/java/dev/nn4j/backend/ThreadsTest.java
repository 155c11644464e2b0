package dev.nn4j.backend;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadsTest {
    private final int saved = Threads.get();
    private final long savedSpin = Threads.spinMicros();

    @AfterEach
    void restore() {
        Threads.set(saved);
        Threads.setSpinMicros(savedSpin);
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

    /**
     * Each thread starts with its own contiguous range of the tasks, so that on time it runs the same range (the same
     * data) in every call: the caller task 0, the helper the first task of the second half. Task 0 holds the caller
     * until the helper has started (up to 10 s), so the helper cannot find the first half's tasks unclaimed by chance.
     */
    @Test
    void eachThreadStartsWithItsOwnRangeOfTasks() {
        Threads.set(2);
        int tasks = 8;
        Thread caller = Thread.currentThread();
        CountDownLatch helperStarted = new CountDownLatch(1);
        AtomicInteger helperFirst = new AtomicInteger(-1);
        AtomicReferenceArray<Thread> ranOn = new AtomicReferenceArray<>(tasks);
        Threads.forEach(tasks, i -> {
            ranOn.set(i, Thread.currentThread());
            if (Thread.currentThread() != caller) {
                helperFirst.compareAndSet(-1, i);
                helperStarted.countDown();
            } else if (i == 0) {
                try {
                    helperStarted.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertEquals(caller, ranOn.get(0), "task 0 runs on the caller");
        assertEquals(tasks / 2, helperFirst.get(), "the helper's first task");
    }

    @Test
    void threadCountMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.set(0));
        assertEquals("the number of threads must be at least 1 but was 0", e.getMessage());
    }

    @Test
    void spinTimeMustBeBetweenZeroAndOneSecond() {
        assertEquals("the spin time must be 0 to 1000000 µs but was -1",
                assertThrows(IllegalArgumentException.class, () -> Threads.setSpinMicros(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Threads.setSpinMicros(1_000_001));
        Threads.setSpinMicros(0);
        assertEquals(0, Threads.spinMicros());
    }

    /**
     * Threads that wait park: after a spin of 20 ms (when the machine is idle; none when it is busy) the helper that
     * ran tasks is parked, with or without spinning, and stays so; a helper that spun for ever would stay RUNNABLE.
     */
    @Test
    void idleHelpersParkOnceTheSpinIsOver() throws InterruptedException {
        for (long spin : new long[] {0, 20_000}) {
            Threads.set(2);
            Threads.setSpinMicros(spin);
            // the helper is the thread that ran a task besides this one (not looked up by name: a helper stopped by
            // Threads.set may not have ended yet)
            java.util.Set<Thread> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
            while (ran.size() < 2) {
                Threads.forEach(8, i -> {
                    ran.add(Thread.currentThread());
                    sleepMillis(2);
                });
            }
            Thread helper = ran.stream().filter(t -> t != Thread.currentThread()).findFirst().orElseThrow();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (helper.getState() != Thread.State.WAITING && System.nanoTime() < deadline) sleepMillis(1);
            assertEquals(Thread.State.WAITING, helper.getState(), "spin " + spin + " µs: the idle helper is not parked");
            sleepMillis(50);
            assertEquals(Thread.State.WAITING, helper.getState(), "spin " + spin + " µs: the idle helper woke without work");
        }
    }

    /** Two callers at once: one gets the helpers, the other runs its tasks on its own thread; every task runs once. */
    @Test
    void concurrentCallersEachRunEveryTaskOnce() throws Exception {
        Threads.set(2);
        int rounds = 300, tasks = 16;
        AtomicIntegerArray[] seen = {new AtomicIntegerArray(rounds * tasks), new AtomicIntegerArray(rounds * tasks)};
        Thread[] callers = new Thread[2];
        for (int c = 0; c < 2; c++) {
            AtomicIntegerArray mine = seen[c];
            callers[c] = new Thread(() -> {
                for (int r = 0; r < rounds; r++) {
                    int base = r * tasks;
                    Threads.forEach(tasks, i -> mine.incrementAndGet(base + i));
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) t.join(30_000);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < rounds * tasks; i++) assertEquals(1, seen[c].get(i), "caller " + c + ", task " + i);
        }
    }

    /** A failed task releases the helpers: the next call still spreads its tasks over both threads. */
    @Test
    void helpersWorkAgainAfterAFailedTask() {
        Threads.set(2);
        assertThrows(IllegalStateException.class, () -> Threads.forEach(4, i -> {
            throw new IllegalStateException("task " + i);
        }));
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int attempt = 0; attempt < 50 && names.size() < 2; attempt++) {
            Threads.forEach(8, i -> {
                names.add(Thread.currentThread().getName());
                sleepMillis(2);
            });
        }
        assertEquals(2, names.size(), "threads that ran tasks: " + names);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
