package dev.nn4j.bench;

import dev.nn4j.backend.Threads;
import dev.nn4j.data.Batch;
import dev.nn4j.data.DataLoader;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.data.sets.BuiltinDatasets;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.optim.Adam;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * Time and heap allocation of one steady-state training step of the seed MLP (Flatten, Linear(784, 256), ReLU,
 * Linear(256, 10); cross-entropy; Adam lr 1e-3; batch 64 of shuffled Fashion-MNIST), the loop of {@code Trainer.fit}
 * without its callbacks: zero grad, forward, loss, backward, step, {@code item()}. Allocation is the JVM's count of
 * bytes allocated by all threads ({@code com.sun.management.ThreadMXBean}), divided by the steps.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.nn4j.bench.StepTimer --threads 2 --steps 3000}.
 * With {@code --cycle N} it trains {@code warmup + rounds·steps} steps on N batches fetched once (no batches pile up
 * in memory), for counting garbage collections with {@code -Xlog:gc} over a whole run. With {@code --phases} each
 * round also prints the mean µs per step of each phase (zero grad, forward, loss, backward, optimizer step), timed
 * with {@code System.nanoTime()} around each.
 *
 * <p>With {@code --spin-ab A,B[,…]} it compares kernel-thread spin times ({@link Threads#setSpinMicros}) in one JVM:
 * after the warm-up, {@code --blocks N} rounds of one block of 200 steps per setting, the order rotating every round,
 * on 400 batches fetched once; it prints each setting's median µs per step and the median over rounds of its ratio to
 * the first setting. Separate JVMs on this VM differ by more than the effect.
 */
public final class StepTimer {
    private StepTimer() {}

    public static void main(String[] args) {
        int threads = 2, steps = 3000, warmup = 3000, rounds = 3, cycle = 0, blocks = 16;
        boolean phases = false;
        long[] spins = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--cycle" -> cycle = Integer.parseInt(args[++i]);
                case "--phases" -> phases = true;
                case "--spin-ab" -> spins = Arrays.stream(args[++i].split(",")).mapToLong(Long::parseLong).toArray();
                case "--blocks" -> blocks = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("StepTimer: unknown argument '" + args[i]
                        + "'; expected --threads N, --steps N, --warmup N, --rounds N, --cycle N, --phases, --spin-ab A,B, --blocks N");
            }
        }
        Threads.set(threads);
        Generator gen = new Generator(0);
        TensorDataset train = BuiltinDatasets.load("fashion-mnist").train();
        DataLoader loader = new DataLoader(train, 64, true, false, gen);
        Sequential model = new Sequential(new Flatten(), new Linear(784, 256, true, gen), new ReLU(), new Linear(256, 10, true, gen));
        Adam adam = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Iterator<Batch>[] it = new Iterator[] {loader.iterator()};
        double sink = 0;
        if (spins != null) {
            compareSpins(model, adam, loss, loader, it, warmup, spins, blocks, threads);
            return;
        }
        if (cycle > 0) {
            // GC-log mode: fetch `cycle` batches once and train on them round robin, so that the only garbage is the step's
            Batch[] fixed = new Batch[cycle];
            for (int i = 0; i < cycle; i++) fixed[i] = next(loader, it);
            long bytes0 = mx.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
            for (int i = 0; i < warmup + rounds * steps; i++) sink += step(model, adam, loss, fixed[i % cycle]);
            long t1 = System.nanoTime(), bytes1 = mx.getTotalThreadAllocatedBytes();
            int n = warmup + rounds * steps;
            System.out.printf(Locale.ROOT, "StepTimer threads %d, %d steps on %d cycled batches (warm-up included): %.1f us/step, %.0f bytes/step (loss sum %.3f)%n",
                    threads, n, cycle, (t1 - t0) / 1e3 / n, (double) (bytes1 - bytes0) / n, sink);
            return;
        }
        for (int i = 0; i < warmup; i++) sink += step(model, adam, loss, next(loader, it));
        for (int r = 0; r < rounds; r++) {
            // batches are fetched outside the timed region, so only the step itself is measured
            Batch[] batches = new Batch[steps];
            for (int i = 0; i < steps; i++) batches[i] = next(loader, it);
            // The batches (200 KB each, 400 MB for 2,000 steps) are live young objects now: without a collection here,
            // the first young collection inside the timed loop copies them all, a pause of hundreds of ms (seen in a
            // GC log), and the heap growing around them had the kernel zeroing new pages for 7-23 % of the samples.
            System.gc();
            long[] phase = phases ? new long[PHASES.length] : null;
            long bytes0 = mx.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) sink += step(model, adam, loss, batches[i], phase);
            long t1 = System.nanoTime(), bytes1 = mx.getTotalThreadAllocatedBytes();
            System.out.printf(Locale.ROOT, "StepTimer threads %d: %.1f us/step, %.0f bytes/step over %d steps (loss sum %.3f)%n",
                    threads, (t1 - t0) / 1e3 / steps, (double) (bytes1 - bytes0) / steps, steps, sink);
            if (phases) {
                StringBuilder line = new StringBuilder("  phases, us/step:");
                for (int p = 0; p < PHASES.length; p++) line.append(String.format(Locale.ROOT, " %s %.1f", PHASES[p], phase[p] / 1e3 / steps));
                System.out.println(line);
            }
        }
    }

    /** {@code --spin-ab}: blocks of 200 steps per spin setting, alternating in one JVM (see the class comment). */
    private static void compareSpins(Sequential model, Adam adam, CrossEntropyLoss loss, DataLoader loader, Iterator<Batch>[] it,
                                     int warmup, long[] spins, int blocks, int threads) {
        int per = 200, cached = 400;
        Batch[] batches = new Batch[cached];
        for (int i = 0; i < cached; i++) batches[i] = next(loader, it);
        double sink = 0;
        for (int i = 0; i < warmup; i++) sink += step(model, adam, loss, batches[i % cached]);
        double[][] us = new double[spins.length][blocks];
        int at = 0;
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < spins.length; j++) {
                int s = (j + b) % spins.length;
                Threads.setSpinMicros(spins[s]);
                long t0 = System.nanoTime();
                for (int i = 0; i < per; i++) sink += step(model, adam, loss, batches[at++ % cached]);
                us[s][b] = (System.nanoTime() - t0) / 1e3 / per;
            }
        }
        for (int s = 0; s < spins.length; s++) {
            double[] ratio = new double[blocks];
            for (int b = 0; b < blocks; b++) ratio[b] = us[s][b] / us[0][b];
            Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "StepTimer threads %d, spin %d us: median %.1f us/step over %d blocks of %d steps; ratio to spin %d us: median %.3f (quartiles %.3f-%.3f)%n",
                    threads, spins[s], Stats.median(us[s]), blocks, per, spins[0], Stats.median(ratio), Stats.percentile(ratio, 0.25), Stats.percentile(ratio, 0.75));
        }
        System.out.printf(Locale.ROOT, "(loss sum %.3f)%n", sink);
    }

    private static Batch next(DataLoader loader, Iterator<Batch>[] it) {
        if (!it[0].hasNext()) it[0] = loader.iterator();
        return it[0].next();
    }

    private static final String[] PHASES = {"zeroGrad", "forward", "loss", "backward", "step"};

    private static double step(Sequential model, Adam adam, CrossEntropyLoss loss, Batch batch) {
        return step(model, adam, loss, batch, null);
    }

    /** One step; when {@code phase} is not null, adds each phase's nanoseconds to it (in {@link #PHASES} order). */
    private static double step(Sequential model, Adam adam, CrossEntropyLoss loss, Batch batch, long[] phase) {
        long t0 = System.nanoTime();
        adam.zeroGrad();
        long t1 = System.nanoTime();
        Tensor out = model.forward(batch.inputs());
        long t2 = System.nanoTime();
        Tensor l = loss.forward(out, batch.targets());
        long t3 = System.nanoTime();
        l.backward();
        long t4 = System.nanoTime();
        adam.step();
        long t5 = System.nanoTime();
        if (phase != null) {
            phase[0] += t1 - t0;
            phase[1] += t2 - t1;
            phase[2] += t3 - t2;
            phase[3] += t4 - t3;
            phase[4] += t5 - t4;
        }
        return l.item();
    }
}
