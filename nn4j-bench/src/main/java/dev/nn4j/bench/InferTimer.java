package dev.nn4j.bench;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.backend.Threads;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.data.sets.BuiltinDatasets;
import dev.nn4j.io.ModelFile;
import dev.nn4j.nn.Inference;
import dev.nn4j.nn.Module;
import dev.nn4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The nn4j side of the inference comparison, measured as {@code bench/reference/infer.py} measures PyTorch:
 * batch-1 latency over {@code --calls} single-image forward calls (after 2 s of warm-up calls) under no-grad, median
 * and p99; then batch-256 throughput over the whole test set, median of {@code --passes} passes after 2 s of warm-up
 * passes. Inputs are prepared tensors, so only the model call is timed. Prints one {@code JSON {...}} line.
 *
 * <p>The model runs as the model server runs it, prepared by {@link Inference#prepare} (its Linear weights aligned to
 * 64 bytes); the batch-1 latency of the model as loaded, unprepared, is measured too ({@code b1_plain_median_us}),
 * after the prepared one, each with its own warm-up.
 *
 * <p>{@code java -cp benchmarks.jar dev.nn4j.bench.InferTimer --model run/model.safetensors --threads 2}
 */
public final class InferTimer {
    /** Warm-up before each measurement: at least this long (the JIT needs a few seconds for the Vector API kernels). */
    private static final long WARM_UP_NANOS = 2_000_000_000L;

    private InferTimer() {}

    public static void main(String[] args) {
        Path modelPath = null;
        String dataset = "fashion-mnist";
        int threads = Threads.get(), calls = 2000, batch = 256, passes = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> modelPath = Path.of(args[++i]);
                case "--dataset" -> dataset = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("InferTimer: unknown argument '" + args[i]
                        + "'; expected --model FILE, --dataset NAME, --threads N, --calls N, --batch N, --passes N");
            }
        }
        if (modelPath == null) throw new IllegalArgumentException("InferTimer: --model FILE (an nn4j model file from nn4j train) is required");
        Threads.set(threads);
        Module plain = ModelFile.load(modelPath).model();
        plain.eval();
        Module model = Inference.prepare(ModelFile.load(modelPath).model());
        TensorDataset test = BuiltinDatasets.load(dataset).test();
        Tensor x = test.inputs().contiguous(), y = test.targets();
        int n = x.shape()[0], features = x.numel() / n;
        if (calls > n) throw new IllegalArgumentException("InferTimer: --calls " + calls + " exceeds the " + n + " test images");

        try (var _ = NoGrad.enter()) {
            double accuracy = model.forward(x).argmax(1, false).eq(y).mean().item();
            // batch 1: one prepared [1, ...] tensor per call, as infer.py's clones
            int[] oneShape = x.shape().clone();
            oneShape[0] = 1;
            float[] all = x.array();
            Tensor[] singles = new Tensor[calls];
            for (int i = 0; i < calls; i++) singles[i] = Tensor.fromArray(Arrays.copyOfRange(all, i * features, (i + 1) * features), oneShape);
            double[] latencyUs = batchOne(model, singles), plainUs = batchOne(plain, singles);
            double med = Stats.median(latencyUs), p99 = Stats.percentile(latencyUs, 0.99);

            // batch 256 over the whole test set
            Tensor[] batches = new Tensor[(n + batch - 1) / batch];
            for (int b = 0; b < batches.length; b++) batches[b] = x.narrow(0, b * batch, Math.min(batch, n - b * batch));
            for (long end = System.nanoTime() + WARM_UP_NANOS; System.nanoTime() < end; ) onePass(model, batches);
            double[] times = new double[passes];
            for (int p = 0; p < passes; p++) times[p] = onePass(model, batches);
            Arrays.sort(times);
            double tpMedian = n / Stats.median(times), tpBest = n / times[0];
            System.out.printf(Locale.ROOT, "nn4j InferTimer: %s, threads %d, test accuracy %.2f%%%n", modelPath, threads, 100 * accuracy);
            System.out.printf(Locale.ROOT, "JSON {\"side\":\"nn4j\",\"threads\":%d,\"acc\":%.4f,\"b1_median_us\":%.1f,\"b1_p99_us\":%.1f,\"b1_min_us\":%.1f,"
                            + "\"b1_plain_median_us\":%.1f,\"b%d_img_per_s_median\":%.0f,\"b%d_img_per_s_best\":%.0f,\"calls\":%d,\"passes\":%d}%n",
                    threads, accuracy, med, p99, latencyUs[0], Stats.median(plainUs), batch, tpMedian, batch, tpBest, calls, passes);
        }
    }

    /** Sorted latencies in µs of one forward call per single-image tensor, after the warm-up. */
    private static double[] batchOne(Module model, Tensor[] singles) {
        // warm-up by time, as GemmTimer: 200 calls left the kernels to C2 mid-measurement (interpreted Vector API
        // code runs a forward pass in milliseconds), which showed as a median twice the steady state
        long warmEnd = System.nanoTime() + WARM_UP_NANOS;
        for (int i = 0; i < 200 || System.nanoTime() < warmEnd; i++) model.forward(singles[i % singles.length]);
        double[] latencyUs = new double[singles.length];
        for (int i = 0; i < singles.length; i++) {
            long t0 = System.nanoTime();
            model.forward(singles[i]);
            latencyUs[i] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(latencyUs);
        return latencyUs;
    }

    private static double onePass(Module model, Tensor[] batches) {
        long t0 = System.nanoTime();
        for (Tensor b : batches) model.forward(b);
        return (System.nanoTime() - t0) / 1e9;
    }
}
