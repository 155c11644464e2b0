package dev.nn4j.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
    /**
     * Tasks per thread for work that {@link #forEach} may split finely (a parallel GEMM with a shared packed operand,
     * a large Adam update): a thread the pool wakes late then takes fewer of them instead of holding the caller up.
     */
    static final int TASKS_PER_THREAD = 4;

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
     * Runs {@code body(i)} for every {@code i < tasks}, spread over up to {@link #get()} threads; the caller works too.
     * Tasks are claimed one at a time from a shared counter, so a helper that a busy machine wakes late takes fewer
     * of them instead of holding the caller up; a helper that finds none left returns at once. Returns when every task
     * is done; the first exception of any task is rethrown. Called from inside a task (nested), it runs all tasks on
     * the current thread: the outer split already keeps every thread busy.
     */
    static void forEach(int tasks, IntConsumer body) {
        int threads = Math.min(count, tasks);
        if (threads <= 1 || INSIDE.get()) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        ForkJoinPool p = pool();
        Claims claims = new Claims(tasks, body);
        for (int t = 1; t < threads; t++) p.execute(claims::run);
        claims.run();
        claims.awaitAll();
    }

    /** The tasks of one {@link #forEach}: a counter to claim them, a count of those done, and the first failure. */
    private static final class Claims {
        private final int tasks;
        private final IntConsumer body;
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        /** Made by the calling thread, which {@link #awaitAll} parks. */
        Claims(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        void run() {
            INSIDE.set(Boolean.TRUE);
            try {
                for (int i; (i = next.getAndIncrement()) < tasks; ) {
                    try {
                        body.accept(i);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        if (done.incrementAndGet() == tasks) LockSupport.unpark(caller);
                    }
                }
            } finally {
                INSIDE.set(Boolean.FALSE);
            }
        }

        /** Parks the caller until every task is done, then rethrows the first failure. */
        void awaitAll() {
            while (done.get() < tasks) LockSupport.park(this);
            Throwable e = failure.get();
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
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
