package dev.nn4j.cli;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.sets.MnistSample;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.nn4j.io.ModelFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nn4j train}: the headline experiment, a 784-256-10 MLP (ReLU, cross-entropy, Adam 0.001, batch 64,
 * 10 epochs) on the MNIST sample embedded in the jar, evaluated on its held-out 2,000 digits.
 * The training loop is written out here, top to bottom, as the README's example is.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train and evaluate the 784-256-10 MLP on the embedded MNIST sample (8,000 train / 2,000 test).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "10", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--hidden", defaultValue = "256", description = "Width of the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/latest", description = "Directory for model.safetensors (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        if (epochs < 1 || batchSize < 1 || hidden < 1 || !(lr > 0)) {
            System.err.println("nn4j train: --epochs, --batch-size and --hidden must be at least 1 and --lr positive");
            return 2;
        }
        PrintStream console = System.out;
        Generator gen = new Generator(seed);
        MnistSample.Split train = MnistSample.train(), test = MnistSample.test();
        Module model = new Sequential(
                new Linear(784, hidden, true, gen),
                new ReLU(),
                new Linear(hidden, 10, true, gen));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Optimizer optimizer = new Adam(model.parameters(), lr);
        console.printf(Locale.ROOT, "nn4j train: MLP 784-%d-10 on mnist-sample (%d train / %d test), Adam lr=%s, batch %d, %d epochs, seed %d%n",
                hidden, train.size(), test.size(), lr, batchSize, epochs, seed);
        console.println(model);

        int n = train.size();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            model.train();
            Tensor order = Tensor.randperm(n, gen);
            double lossSum = 0;
            int correct = 0;
            for (int at = 0; at < n; at += batchSize) {
                Tensor idx = order.narrow(0, at, Math.min(batchSize, n - at));
                Tensor x = train.images().indexSelect(0, idx), y = train.labels().indexSelect(0, idx);
                optimizer.zeroGrad();
                Tensor logits = model.forward(x);
                Tensor loss = lossFn.forward(logits, y);
                loss.backward();
                optimizer.step();
                lossSum += loss.item() * idx.numel();
                correct += (int) logits.argmax(1, false).eq(y).sum().item();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation eval = evaluate(model, test, lossFn);
            console.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  acc %.2f%%  |  test loss %.4f  test acc %.2f%%  |  %.1fs (%.0f samples/s)%n",
                    epoch, epochs, lossSum / n, 100.0 * correct / n, eval.loss, 100 * eval.accuracy, seconds, n / seconds);
        }
        Evaluation eval = evaluate(model, test, lossFn);
        console.printf(Locale.ROOT, "test accuracy %.2f%% on %d held-out digits%n", 100 * eval.accuracy, test.size());
        Path file = out.resolve("model.safetensors");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            System.err.println("nn4j train: cannot create " + out + ": " + e.getMessage());
            return 1;
        }
        ModelFile.save(file, model, Map.of(
                "dataset", "mnist-sample", "epochs", Integer.toString(epochs), "optimizer", "adam", "lr", Double.toString(lr),
                "batch_size", Integer.toString(batchSize), "seed", Long.toString(seed),
                "test_accuracy", String.format(Locale.ROOT, "%.4f", eval.accuracy)));
        console.println("saved " + file);
        return 0;
    }

    private record Evaluation(double loss, double accuracy) {}

    private static Evaluation evaluate(Module model, MnistSample.Split data, CrossEntropyLoss lossFn) {
        model.eval();
        try (var _ = NoGrad.enter()) {
            Tensor logits = model.forward(data.images());
            double loss = lossFn.forward(logits, data.labels()).item();
            double acc = logits.argmax(1, false).eq(data.labels()).mean().item();
            return new Evaluation(loss, acc);
        }
    }
}
