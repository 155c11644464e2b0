package dev.nn4j.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * How many threads the kernels use, and the persistent helper threads they run on. Defaults to all cores, or the
 * {@code nn4j.threads} system property; {@link #set} changes it at any time (the CLI's {@code --threads}).
 * A waiting thread (an idle helper, or a caller waiting for the helpers' last tasks) spins for at most
 * {@link #spinMicros()} and then parks; it spins only while nothing else wants the cores ({@link MachineLoad}), since
 * on a busy machine a spinning thread takes the core from someone else. Kernels split work so that every output
 * element is computed by the same operations in the same order whatever the thread count: results are identical for
 * 1 thread or 16.
 */
public final class Threads {
    private static volatile int count = initial();
    /** Set while a thread runs a share of {@link #forEach}: a kernel called from inside one (a GEMM per image) then runs on that thread alone. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /**
     * Tasks per thread for work that {@link #forEach} may split finely (a parallel GEMM with a shared packed operand,
     * a large Adam update): a thread the pool wakes late then takes fewer of them instead of holding the caller up.
     */
    static final int TASKS_PER_THREAD = 4;
    /**
     * Default of {@link #spinMicros()}. A parked thread takes 50-100 µs to wake on a 2-vCPU VM, several times per
     * training step of the seed MLP; measured there (BENCHMARKS.md, "Session 9"), 300 µs took the step to 0.73-0.98×
     * its time when the machine was otherwise idle, depending on the VM's phase.
     */
    static final long DEFAULT_SPIN_MICROS = 300;
    /** The system property that sets {@link #spinMicros()} at start-up. */
    public static final String SPIN_PROPERTY = "nn4j.spinMicros";
    private static volatile long spinNanos = initialSpin() * 1000;

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

    private static long initialSpin() {
        String property = System.getProperty(SPIN_PROPERTY);
        if (property == null || property.isBlank()) return DEFAULT_SPIN_MICROS;
        try {
            return checkSpin(Long.parseLong(property.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SPIN_PROPERTY + " must be a whole number of microseconds but was '" + property + "'");
        }
    }

    private static long checkSpin(long micros) {
        if (micros < 0 || micros > 1_000_000) throw new IllegalArgumentException("the spin time must be 0 to 1000000 µs but was " + micros);
        return micros;
    }

    /** How long, in µs, a waiting kernel thread spins before it parks, when the machine is otherwise idle (0: park at once). */
    public static long spinMicros() {
        return spinNanos / 1000;
    }

    /**
     * Sets {@link #spinMicros()} (the {@link #SPIN_PROPERTY} system property sets it at start-up; default
     * {@value #DEFAULT_SPIN_MICROS}). 0 makes every waiting thread park at once: the choice for a process whose other
     * threads need the cores, such as a server's request threads.
     */
    public static void setSpinMicros(long micros) {
        spinNanos = checkSpin(micros) * 1000;
    }

    /** The time until which a thread that starts waiting now may spin: now when it may not spin at all. */
    private static long spinDeadline() {
        long now = System.nanoTime(), spin = spinNanos;
        return spin == 0 || MachineLoad.othersBusy() ? now : now + spin;
    }

    /** One wait of a thread that checks its condition in a loop: a spin before {@code deadline} ({@link #spinDeadline}), a park after. */
    private static void pause(long deadline, Object blocker) {
        if (System.nanoTime() - deadline < 0) Thread.onSpinWait();
        else LockSupport.park(blocker);
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
        if (helpers != null && helpers.threads.length != Math.max(1, n - 1)) {
            helpers.stop();
            helpers = null;
        }
    }

    /**
     * Runs {@code body(i)} for every {@code i < tasks}, spread over up to {@link #get()} threads; the caller works too.
     * The tasks are cut into one contiguous range per thread (the caller's first); each thread claims the tasks of its
     * own range one at a time, then those left in the others, so a helper that a busy machine wakes late takes fewer
     * of them instead of holding the caller up, and a helper that finds none left returns at once. On time, every
     * thread runs the same range in every call, so the data a range touches stays in that core's cache between
     * calls. With one shared counter, which thread took which task changed from call to call: {@code GemmTimer
     * --threads 2} (Intel Xeon, 2 MB L2 per core, three alternating pairs) gave the MLP's weight gradient at batch 64
     * 137–143 GFLOP/s against 186–196 with the ranges (its 800 KB C stays where it was written), and {@code InferTimer}
     * batch-256 throughput 312,000–500,000 (median 415,000) against 410,000–486,000 (median 463,000) images/s over
     * seven pairs; a training step was the same within the noise. Returns when every task
     * is done; the first exception of any task is rethrown. Called from inside a task (nested), it runs all tasks on
     * the current thread: the outer split already keeps every thread busy.
     */
    static void forEach(int tasks, IntConsumer body) {
        int threads = Math.min(count, tasks);
        if (threads <= 1 || INSIDE.get()) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        Claims claims = new Claims(tasks, threads, body);
        Helpers h = helpers();
        if (!h.publish(claims, threads - 1)) {
            // another caller's tasks hold the helpers (concurrent callers, such as a server's request threads): run
            // these on this thread, and kernels inside them as a nested call runs them
            INSIDE.set(Boolean.TRUE);
            try {
                for (int i = 0; i < tasks; i++) body.accept(i);
            } finally {
                INSIDE.set(Boolean.FALSE);
            }
            return;
        }
        try {
            claims.run(0);
            claims.awaitAll();
        } finally {
            h.retire(claims);
        }
    }

    /**
     * The tasks of one {@link #forEach}: a counter per thread's range to claim them, a count of those done, and the
     * first failure.
     */
    private static final class Claims {
        private final int tasks, ranges;
        private final IntConsumer body;
        private final Thread caller = Thread.currentThread();
        /** {@code next[r]}: the next task of range r to claim; past the range's end once all are claimed. */
        private final AtomicIntegerArray next;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** Tells a helper that it has already run this one; a number, so that a helper holds no finished work alive. */
        final long id = CLAIMS.incrementAndGet();

        /** Made by the calling thread, which {@link #awaitAll} makes wait. */
        Claims(int tasks, int ranges, IntConsumer body) {
            this.tasks = tasks;
            this.ranges = ranges;
            this.body = body;
            next = new AtomicIntegerArray(ranges);
            for (int r = 1; r < ranges; r++) next.set(r, start(r));
        }

        private int start(int range) {
            return (int) ((long) tasks * range / ranges);
        }

        /** Thread {@code worker}'s share (0 the caller, helper i is i): its own range first, then what the others left. */
        void run(int worker) {
            INSIDE.set(Boolean.TRUE);
            try {
                for (int k = 0; k < ranges; k++) {
                    int r = (worker + k) % ranges, end = start(r + 1);
                    for (int i; (i = next.getAndIncrement(r)) < end; ) {
                        try {
                            body.accept(i);
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            if (done.incrementAndGet() == tasks) LockSupport.unpark(caller);
                        }
                    }
                }
            } finally {
                INSIDE.set(Boolean.FALSE);
            }
        }

        /** Waits (spinning, then parked) until every task is done, then rethrows the first failure. */
        void awaitAll() {
            long deadline = spinDeadline();
            while (done.get() < tasks) pause(deadline, this);
            Throwable e = failure.get();
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
        }
    }

    private static volatile Helpers helpers;
    private static final AtomicLong CLAIMS = new AtomicLong();

    private static Helpers helpers() {
        Helpers h = helpers;
        if (h == null) {
            synchronized (Threads.class) {
                if (helpers == null) helpers = new Helpers(Math.max(1, count - 1));
                h = helpers;
            }
        }
        return h;
    }

    /**
     * The {@code count - 1} persistent helper threads and the one {@link Claims} they work on. Each helper waits for
     * the next published claims, spinning until {@link #spinDeadline}, then parked; {@link #publish} unparks them.
     */
    private static final class Helpers {
        private final Thread[] threads;
        private final AtomicReference<Claims> current = new AtomicReference<>();
        private volatile boolean stopped;

        Helpers(int n) {
            threads = new Thread[n];
            for (int i = 0; i < n; i++) {
                int worker = i + 1;
                Thread t = new Thread(() -> loop(worker), "nn4j-kernel-" + worker);
                t.setDaemon(true);
                threads[i] = t;
                t.start();
            }
        }

        boolean publish(Claims claims, int wanted) {
            if (!current.compareAndSet(null, claims)) return false;
            for (int i = 0; i < Math.min(wanted, threads.length); i++) LockSupport.unpark(threads[i]);
            return true;
        }

        void retire(Claims claims) {
            current.compareAndSet(claims, null);
        }

        void stop() {
            stopped = true;
            for (Thread t : threads) LockSupport.unpark(t);
        }

        private void loop(int worker) {
            long last = 0;
            while (!stopped) {
                long deadline = spinDeadline();
                Claims c;
                while ((c = current.get()) == null || c.id == last) {
                    if (stopped) return;
                    pause(deadline, this);
                }
                last = c.id;
                c.run(worker);
            }
        }
    }
}
