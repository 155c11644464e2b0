package dev.nn4j.nn;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.backend.Backend;
import dev.nn4j.backend.Threads;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * A timing main, not a test (it never runs in {@code ./test}): the seed MLP (784-256-10, ReLU, cross-entropy,
 * Adam, batch 64) on random data of the right shapes, for profiling the training step and inference.
 * Prints the median (and best) of several rounds: milliseconds per training step (wall clock, and the CPU time of
 * the calling thread, which a busy shared machine disturbs less), microseconds per batch-1 forward under
 * {@link NoGrad}, and images per second for batch-256 inference.
 * Run from nn4j-core after {@code mvn test-compile}:
 * {@snippet lang=shell :
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.nn4j.nn.SeedMlpTiming [threads] [rounds] [train|infer|all]
 * }
 */
final class SeedMlpTiming {
    private SeedMlpTiming() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String what = args.length > 2 ? args[2] : "all";
        Threads.set(threads);
        Generator gen = new Generator(0);
        Sequential model = new Sequential(new Flatten(), new Linear(784, 256, true, gen), new ReLU(), new Linear(256, 10, true, gen));
        Optimizer opt = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Tensor x = Tensor.rand(gen, 64, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, new int[] {64}, gen);
        System.out.printf("kernels %s, threads %d%n", Backend.kernels().getClass().getSimpleName(), threads);

        if (!what.equals("infer")) {
            int steps = 400;
            double[] ms = new double[rounds], cpu = new double[rounds];
            for (int r = -2; r < rounds; r++) {  // two warm-up rounds
                long t0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
                double sink = 0;
                for (int s = 0; s < steps; s++) {
                    opt.zeroGrad();
                    Tensor loss = lossFn.forward(model.forward(x), y);
                    loss.backward();
                    opt.step();
                    sink += loss.item();
                }
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - t0) / 1e6 / steps;
                    cpu[r] = (CPU.getCurrentThreadCpuTime() - c0) / 1e6 / steps;
                }
                if (Double.isNaN(sink)) System.out.println("NaN loss");
            }
            System.out.printf("train step (batch 64): median %.3f ms  (rounds %s)  => %.2f s per 60,000-image epoch%n",
                    median(ms), Arrays.toString(round(ms)), median(ms) * 938 / 1000);
            System.out.printf("train step: best %.3f ms; main thread CPU median %.3f ms, best %.3f ms%n",
                    min(ms), median(cpu), min(cpu));
        }
        if (!what.equals("train")) {
            model.eval();
            Tensor one = Tensor.rand(gen, 1, 1, 28, 28);
            Tensor big = Tensor.rand(gen, 256, 1, 28, 28);
            double[] us = new double[rounds], ips = new double[rounds];
            try (var _ = NoGrad.enter()) {
                for (int r = -2; r < rounds; r++) {
                    int calls = 20000;
                    long t0 = System.nanoTime();
                    float sink = 0;
                    for (int i = 0; i < calls; i++) sink += model.forward(one).array()[0];
                    long t1 = System.nanoTime();
                    int bigCalls = 200;
                    for (int i = 0; i < bigCalls; i++) sink += model.forward(big).array()[0];
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        us[r] = (t1 - t0) / 1e3 / calls;
                        ips[r] = 256.0 * bigCalls / ((t2 - t1) / 1e9);
                    }
                    if (Float.isNaN(sink)) System.out.println("NaN output");
                }
            }
            System.out.printf("infer batch 1: median %.2f us, best %.2f us (rounds %s)%n", median(us), min(us), Arrays.toString(round(us)));
            System.out.printf("infer batch 256: median %.0f images/s%n", median(ips));
        }
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(d -> Math.round(d * 1000) / 1000.0).toArray();
    }
}
