package dev.nn4j.backend;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether something besides the kernels wants this machine's cores: other processes (the CPU time of the whole machine,
 * {@code /proc/stat}, less this process's own, {@code /proc/self/stat}) or this JVM's JIT compiler, over windows of
 * {@link #WINDOW_NANOS}. {@link Threads} lets waiting threads spin only while this says no, because a spinning thread
 * takes its core from whoever else wants it: in the first epochs of training, spinning helpers held up the compiler
 * threads and those epochs took 1.15-1.5× as long. Where the files cannot be read (not Linux), the machine counts as
 * busy, so nothing spins.
 */
final class MachineLoad {
    /** Sampling window: long enough for the 10 ms clock ticks of {@code /proc} to count a quarter of a core. */
    static final long WINDOW_NANOS = 200_000_000L;
    /** Cores' worth of other processes' CPU time above which the machine counts as busy. */
    static final double BUSY_CORES = 0.25;
    /**
     * Compile time, summed over the JIT's compiler threads, that the JIT may spend per second of the window before the
     * machine counts as busy: half a core. The JIT goes on compiling small methods for the whole run (about 50 a
     * second in a training loop), which is no reason not to spin. At 0.1, with the four compiler threads the launcher
     * gives {@code train}, the MLP's epochs 2-5 took 0.83-0.97 s (median 0.86) and at 0.5 0.73-0.79 s (eight runs), as
     * the helpers parked through most of epoch 2. Never counting the JIT gave 0.69-0.75 s in six runs of seven, but
     * 1.01 s in the seventh, whose epoch 2 took 1.88 s: spinning held up the compiler (BENCHMARKS.md, "Session 10").
     */
    static final double BUSY_COMPILING = 0.5;
    private static final Path STAT = Path.of("/proc/stat"), SELF = Path.of("/proc/self/stat");
    private static final long TICKS_PER_SECOND = 100;  // USER_HZ, 100 on every Linux architecture the JDK runs on

    private static volatile long sampledAt = System.nanoTime() - 2 * WINDOW_NANOS;
    private static volatile boolean othersBusy = true;
    private static long lastMachineTicks = -1, lastOwnTicks, lastCompileMillis = -1;
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private MachineLoad() {}

    /** True when, over the last window, other processes used more than {@link #BUSY_CORES} cores, or the JIT compiled for more than {@link #BUSY_COMPILING} cores' worth of it. */
    static boolean othersBusy() {
        if (System.nanoTime() - sampledAt >= WINDOW_NANOS) sample();
        return othersBusy;
    }

    private static synchronized void sample() {
        long now = System.nanoTime();
        if (now - sampledAt < WINDOW_NANOS) return;
        try {
            long machine = machineBusyTicks(Files.readAllLines(STAT).getFirst()), own = ownTicks(Files.readString(SELF));
            long compiling = JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
            if (lastMachineTicks >= 0) {
                double seconds = (now - sampledAt) / 1e9;
                othersBusy = busy(machine - lastMachineTicks, own - lastOwnTicks, compiling - lastCompileMillis, seconds);
            }
            lastMachineTicks = machine;
            lastOwnTicks = own;
            lastCompileMillis = compiling;
        } catch (IOException | RuntimeException e) {
            othersBusy = true;
        }
        sampledAt = now;
    }

    /**
     * The decision for one window of {@code seconds}: busy when other processes used more than {@link #BUSY_CORES}
     * cores, or the JIT compiled for more than {@link #BUSY_COMPILING} cores' worth of the window.
     */
    static boolean busy(long machineTicks, long ownTicks, long compileMillis, double seconds) {
        return othersCores(machineTicks, ownTicks, seconds) > BUSY_CORES || compileMillis > BUSY_COMPILING * seconds * 1000;
    }

    /** Cores kept busy by other processes: the machine's busy ticks less this process's, per second of wall time. */
    static double othersCores(long machineTicks, long ownTicks, double seconds) {
        return Math.max(0, machineTicks - ownTicks) / (TICKS_PER_SECOND * seconds);
    }

    /** Busy ticks of all cores from the {@code cpu} line of {@code /proc/stat}: every field but idle and iowait. */
    static long machineBusyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 8) throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        long busy = 0;
        // user nice system idle iowait irq softirq [steal guest guest_nice]; guest time is already inside user
        for (int i = 1; i < Math.min(f.length, 9); i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
        return busy;
    }

    /** utime + stime of {@code /proc/self/stat} (fields 14 and 15; the name in field 2 may hold spaces and parentheses). */
    static long ownTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
