package dev.nn4j.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * How many threads the kernels use, and the persistent pool they run on. Defaults to all cores, or the
 * {@code nn4j.threads} system property; {@link #set} changes it at any time (the CLI's {@code --threads}).
 * Idle workers park in the fork-join pool rather than spin, so a busy shared machine is not made busier.
 * Kernels split work so that every output element is computed by the same operations in the same order
 * whatever the thread count: results are identical for 1 thread or 16.
 */
public final class Threads {
    private static volatile int count = initial();
    private static volatile ForkJoinPool pool;
    /** Set while a thread runs a share of {@link #forEach}: a kernel called from inside one (a GEMM per image) then runs on that thread alone. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Threads() {}

    private static int initial() {
        String property = System.getProperty("nn4j.threads");
        int cores = Runtime.getRuntime().availableProcessors();
        if (property == null || property.isBlank()) return cores;
        try {
            return check(Integer.parseInt(property.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("nn4j.threads must be a positive integer but was '" + property + "'");
        }
    }

    private static int check(int n) {
        if (n < 1) throw new IllegalArgumentException("the number of threads must be at least 1 but was " + n);
        return n;
    }

    /** Threads the kernels may use (at least 1). */
    public static int get() {
        return count;
    }

    /**
     * Threads a kernel called here can use: 1 inside a share of {@link #forEach} (nested work runs on the current
     * thread), {@link #get()} otherwise. A kernel that splits by this number does no work twice when nested: a GEMM
     * per image cut into column parts would pack its A operand once per part, all on the same thread.
     */
    static int available() {
        return INSIDE.get() ? 1 : count;
    }

    /** Sets the number of threads for all later kernel calls. */
    public static synchronized void set(int n) {
        count = check(n);
        if (pool != null && pool.getParallelism() != Math.max(1, n - 1)) {
            pool.shutdown();
            pool = null;
        }
    }

    /**
     * Runs {@code body(i)} for every {@code i < tasks}, spread over up to {@link #get()} threads; the caller takes
     * one share itself. Returns when all are done; an exception in any task is rethrown. Called from inside a task
     * (nested), it runs all tasks on the current thread: the outer split already keeps every thread busy.
     */
    static void forEach(int tasks, IntConsumer body) {
        int threads = Math.min(count, tasks);
        if (threads <= 1 || INSIDE.get()) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        ForkJoinPool p = pool();
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            int share = t;
            others[t - 1] = p.submit(() -> runShare(share, threads, tasks, body));
        }
        runShare(0, threads, tasks, body);
        for (ForkJoinTask<?> task : others) task.join();
    }

    private static void runShare(int share, int threads, int tasks, IntConsumer body) {
        INSIDE.set(Boolean.TRUE);
        try {
            for (int i = share; i < tasks; i += threads) body.accept(i);
        } finally {
            INSIDE.set(Boolean.FALSE);
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Threads.class) {
                if (pool == null) {
                    pool = new ForkJoinPool(Math.max(1, count - 1), pool -> {
                        var worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        worker.setName("nn4j-kernel-" + worker.getPoolIndex());
                        worker.setDaemon(true);
                        return worker;
                    }, null, false);
                }
                p = pool;
            }
        }
        return p;
    }
}
