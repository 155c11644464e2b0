package dev.nn4j.bench;

import dev.nn4j.backend.Backend;
import dev.nn4j.backend.Kernels;
import dev.nn4j.backend.Threads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * JMH microbenchmark of {@code Kernels.matmul} (sgemm) at 1024³ and the MLP's shapes, with 1 and 2 kernel threads.
 * JMH reports operations per second; {@link JmhMain} turns them into GFLOP/s ({@code 2·M·N·K} per operation).
 * Run: {@code java --add-modules jdk.incubator.vector -jar nn4j-bench/target/benchmarks.jar GemmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)   // the Vector API code needs a few seconds of JIT before it is fast
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    /** A {@link GemmShape#spec()} string; the defaults are {@link GemmShape#STANDARD}. */
    @Param({"1024^3=1024x1024x1024:NN", "fwd1-b64=64x784x256:NT", "fwd2-b64=64x256x10:NT", "dW1-b64=784x64x256:TN",
            "fwd1-b256=256x784x256:NT", "fwd2-b256=256x256x10:NT", "dW1-b256=784x256x256:TN"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private GemmShape g;
    private Kernels kernels;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        g = GemmShape.parse(shape);
        Threads.set(threads);
        kernels = Backend.kernels();
        SplittableRandom r = new SplittableRandom(42);
        a = new float[g.M() * g.K()];
        b = new float[g.K() * g.N()];
        c = new float[g.M() * g.N()];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
    }

    @Benchmark
    public float[] matmul() {
        kernels.matmul(a, 0, g.transA(), b, 0, g.transB(), c, 0, g.M(), g.N(), g.K());
        return c;
    }
}
