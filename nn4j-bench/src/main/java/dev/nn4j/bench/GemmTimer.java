package dev.nn4j.bench;

import dev.nn4j.backend.Backend;
import dev.nn4j.backend.Kernels;
import dev.nn4j.backend.Threads;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The nn4j side of the interleaved sgemm comparison: times {@code Kernels.matmul} the way
 * {@code bench/reference/gemm.py} times {@code torch.mm} (warm-up, calibrate, samples of at least 2 ms, median)
 * and prints one {@code JSON {...}} line per shape. A plain main rather than JMH so that one short JVM per
 * repetition fits between the PyTorch runs; {@link GemmBenchmark} is the JMH version for kernel work.
 *
 * <p>{@code java -cp benchmarks.jar dev.nn4j.bench.GemmTimer --threads 2 [--shapes 1024^3,fwd1-b64] [--min-time 1.0]}
 */
public final class GemmTimer {
    private GemmTimer() {}

    public static void main(String[] args) {
        int threads = Threads.get();
        double minTime = 1.0;
        List<GemmShape> shapes = GemmShape.STANDARD;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--min-time" -> minTime = Double.parseDouble(args[++i]);
                case "--shapes" -> {
                    List<GemmShape> chosen = new ArrayList<>();
                    for (String s : args[++i].split(",")) chosen.add(GemmShape.parse(s));
                    shapes = chosen;
                }
                default -> throw new IllegalArgumentException("GemmTimer: unknown argument '" + args[i] + "'; expected --threads N, --min-time SECONDS, --shapes A,B");
            }
        }
        Threads.set(threads);
        Kernels kernels = Backend.kernels();
        System.out.printf(Locale.ROOT, "nn4j GemmTimer: kernels %s, threads %d, min-time %.2fs%n", kernels.getClass().getSimpleName(), threads, minTime);
        boolean first = true;
        for (GemmShape g : shapes) {
            // a second or more per shape: a path not yet compiled (the dot tiles after the packed GEMM) ran
            // interpreted at 50-100 ms per call for up to a second, which a 0.3 s warm-up let into the samples
            double[] samples = time(kernels, g, minTime, first ? 2.0 : 1.0);
            first = false;
            double med = Stats.median(samples), best = java.util.Arrays.stream(samples).min().orElseThrow();
            System.out.printf(Locale.ROOT, "JSON {\"side\":\"nn4j\",\"shape\":\"%s\",\"M\":%d,\"K\":%d,\"N\":%d,\"layout\":\"%s\",\"threads\":%d,"
                            + "\"gflops_median\":%.2f,\"gflops_best\":%.2f,\"us_per_call\":%.2f,\"samples\":%d}%n",
                    g.label(), g.M(), g.K(), g.N(), g.layout(), threads, g.flops() / med / 1e9, g.flops() / best / 1e9, med * 1e6, samples.length);
        }
    }

    /** Seconds per call, one entry per sample; each sample repeats the call enough to last about 2 ms. */
    static double[] time(Kernels k, GemmShape g, double minTime, double warmupSeconds) {
        SplittableRandom r = new SplittableRandom(42);
        float[] a = new float[g.M() * g.K()], b = new float[g.K() * g.N()], c = new float[g.M() * g.N()];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        Runnable call = () -> k.matmul(a, 0, g.transA(), b, 0, g.transB(), c, 0, g.M(), g.N(), g.K());
        // warm-up (the first shape also pays for the JIT of the Vector API code), then calibrate
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < warmupSeconds * 1e9 || calls < 3) {
            call.run();
            calls++;
        }
        t0 = System.nanoTime();
        calls = 0;
        while (System.nanoTime() - t0 < 0.2e9 || calls < 3) {
            call.run();
            calls++;
        }
        double per = (System.nanoTime() - t0) / 1e9 / calls;
        int inner = Math.max(1, (int) (0.002 / per));
        int reps = Math.max(15, (int) (minTime / (per * inner)));
        double[] samples = new double[reps];
        for (int s = 0; s < reps; s++) {
            long start = System.nanoTime();
            for (int i = 0; i < inner; i++) call.run();
            samples[s] = (System.nanoTime() - start) / 1e9 / inner;
        }
        return samples;
    }
}
