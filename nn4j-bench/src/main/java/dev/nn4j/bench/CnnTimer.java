package dev.nn4j.bench;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.backend.Threads;
import dev.nn4j.data.Batch;
import dev.nn4j.data.DataLoader;
import dev.nn4j.data.Preprocessing;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.data.sets.BuiltinDatasets;
import dev.nn4j.data.sets.TrainTest;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Conv2d;
import dev.nn4j.nn.Dropout;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.MaxPool2d;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The nn4j side of the {@code cnn} comparison, measured as {@code bench/reference/cnn.py} measures PyTorch: the
 * pytorch/examples MNIST network (the {@code cnn} preset) with cross-entropy, Adam 1e-3, batch 64, on Fashion-MNIST
 * normalised with the training split's mean and std. {@code --batches N} times N training steps (after 10 warm-up
 * steps) and reports ms per batch; {@code --epochs E} trains E shuffled epochs, then reports test accuracy and
 * inference (batch-1 latency median and p99 over {@code --calls} calls, batch-256 images/s, median of
 * {@code --passes} passes). Prints one {@code JSON {...}} line at the end.
 *
 * <p>{@code java -cp benchmarks.jar dev.nn4j.bench.CnnTimer --threads 2 --batches 50}
 */
public final class CnnTimer {
    private CnnTimer() {}

    /** The {@code cnn} preset: Conv(1→32, 3), ReLU, Conv(32→64, 3), ReLU, MaxPool 2, Dropout 0.25, Linear 9216→128, ReLU, Dropout 0.5, Linear 128→10. */
    static Module network(Generator gen) {
        return new Sequential(
                new Conv2d(1, 32, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true, gen), new ReLU(),
                new Conv2d(32, 64, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true, gen), new ReLU(),
                new MaxPool2d(2), new Dropout(0.25, gen), new Flatten(),
                new Linear(9216, 128, true, gen), new ReLU(), new Dropout(0.5, gen), new Linear(128, 10, true, gen));
    }

    public static void main(String[] args) {
        int threads = Threads.get(), batches = 0, epochs = 0, batchSize = 64, calls = 1000, passes = 3;
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batches" -> batches = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--batch-size" -> batchSize = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("CnnTimer: unknown argument '" + args[i]
                        + "'; expected --threads N, --batches N, --epochs N, --batch-size N, --seed N, --calls N, --passes N");
            }
        }
        if (batches <= 0 && epochs <= 0) throw new IllegalArgumentException("CnnTimer: give --batches N (step timing) and/or --epochs N");
        Threads.set(threads);
        Generator gen = new Generator(seed);
        TrainTest data = BuiltinDatasets.load("fashion-mnist");
        Preprocessing prep = Preprocessing.none().thenNormalize(data.train(), 1);
        TensorDataset train = new TensorDataset(images(prep.apply(data.train().inputs())), data.train().targets());
        Tensor testX = images(prep.apply(data.test().inputs())), testY = data.test().targets();
        Module model = network(gen);
        Optimizer opt = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(train, batchSize, true, false, gen);
        StringBuilder json = new StringBuilder("{\"side\":\"nn4j\",\"script\":\"CnnTimer\",\"threads\":" + threads);
        System.out.printf(Locale.ROOT, "nn4j CnnTimer: threads %d, batch %d, %d parameters%n", threads, batchSize,
                model.parameters().stream().mapToInt(Tensor::numel).sum());

        if (batches > 0) {
            model.train();
            List<Batch> fixed = new ArrayList<>();
            for (Iterator<Batch> it = loader.iterator(); fixed.size() < 10 + batches && it.hasNext(); ) fixed.add(it.next());
            if (fixed.size() < 10 + batches) throw new IllegalArgumentException("CnnTimer: --batches " + batches + " exceeds one epoch");
            for (Batch b : fixed.subList(0, 10)) step(model, lossFn, opt, b);
            double[] ms = new double[batches];
            for (int i = 0; i < batches; i++) {
                long t0 = System.nanoTime();
                step(model, lossFn, opt, fixed.get(10 + i));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "%d training steps: median %.3f ms, mean %.3f ms per batch of %d%n", batches, Stats.median(ms), mean, batchSize);
            json.append(String.format(Locale.ROOT, ",\"ms_per_batch_median\":%.3f,\"ms_per_batch_mean\":%.3f", Stats.median(ms), mean));
        }

        if (epochs > 0) {
            double[] epochS = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                model.train();
                long t0 = System.nanoTime();
                double total = 0;
                int seen = 0;
                try (DataLoader.Pass pass = loader.iterator()) {
                    while (pass.hasNext()) {
                        Batch b = pass.next();
                        int n = b.inputs().shape()[0];
                        total += step(model, lossFn, opt, b) * n;
                        seen += n;
                    }
                }
                epochS[e] = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "epoch %d: train loss %.4f (%.1f s)%n", e + 1, total / seen, epochS[e]);
            }
            model.eval();
            try (var _ = NoGrad.enter()) {
                int n = testX.shape()[0], correct = 0;
                for (int i = 0; i < n; i += 1000) {
                    int len = Math.min(1000, n - i);
                    correct += (int) model.forward(testX.narrow(0, i, len)).argmax(1, false).eq(testY.narrow(0, i, len)).sum().item();
                }
                double acc = (double) correct / n;
                Tensor[] singles = new Tensor[calls];
                for (int i = 0; i < calls; i++) singles[i] = testX.narrow(0, i, 1).contiguous();
                for (int i = 0; i < 200; i++) model.forward(singles[i % calls]);
                double[] us = new double[calls];
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    model.forward(singles[i]);
                    us[i] = (System.nanoTime() - t0) / 1e3;
                }
                Arrays.sort(us);
                onePass(model, testX);
                double[] times = new double[passes];
                for (int p = 0; p < passes; p++) times[p] = onePass(model, testX);
                Arrays.sort(times);
                double imgPerS = n / Stats.median(times);
                System.out.printf(Locale.ROOT, "test accuracy %.2f%%; batch-1 median %.1f us, p99 %.1f us; batch-256 %.0f img/s%n",
                        100 * acc, Stats.median(us), Stats.percentile(us, 0.99), imgPerS);
                StringBuilder list = new StringBuilder();
                for (double s : epochS) list.append(list.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.3f", s));
                json.append(String.format(Locale.ROOT, ",\"epoch_s\":[%s],\"final_test_acc\":%.4f,\"b1_median_us\":%.1f,\"b1_p99_us\":%.1f,\"b256_img_per_s_median\":%.0f",
                        list, acc, Stats.median(us), Stats.percentile(us, 0.99), imgPerS));
            }
        }
        System.out.println("JSON " + json.append('}'));
    }

    /** One training step; returns the batch loss. */
    private static double step(Module model, CrossEntropyLoss lossFn, Optimizer opt, Batch b) {
        Tensor loss = lossFn.forward(model.forward(b.inputs()), b.targets());
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return loss.item();
    }

    private static double onePass(Module model, Tensor x) {
        long t0 = System.nanoTime();
        for (int i = 0, n = x.shape()[0]; i < n; i += 256) model.forward(x.narrow(0, i, Math.min(256, n - i)));
        return (System.nanoTime() - t0) / 1e9;
    }

    /** {@code [N, ...]} as contiguous {@code [N, 1, 28, 28]} images. */
    private static Tensor images(Tensor x) {
        int n = x.shape()[0];
        return x.contiguous().reshape(n, 1, 28, 28);
    }
}
