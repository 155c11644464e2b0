package dev.nn4j.bench;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.backend.Threads;
import dev.nn4j.data.sets.BuiltinDatasets;
import dev.nn4j.data.sets.TrainTest;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.optim.Adam;
import dev.nn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The nn4j side of {@code bench/reference/same_start.py}: trains the seed MLP from the initial weights and the batch
 * orders that script drew and wrote to {@code --dir}, with the same recipe (Fashion-MNIST normalised with the mean
 * and std it wrote, Adam lr 1e-3, batch 64), and prints the test accuracy and loss after each epoch as JSON lines.
 * {@code bench/same-start} runs both sides.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.nn4j.bench.SameStart --dir DIR [--threads 1]}
 */
public final class SameStart {
    private SameStart() {}

    public static void main(String[] args) throws IOException {
        Path dir = null;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("SameStart: unknown argument '" + args[i] + "'; expected --dir DIR, --threads N");
            }
        }
        if (dir == null) throw new IllegalArgumentException("SameStart: --dir DIR (written by bench/reference/same_start.py) is required");
        Threads.set(threads);
        // every file is checked before the dataset loads, so a wrong directory fails at once
        ByteBuffer normalize = read(dir.resolve("normalize.f64"), 16);
        float mean = (float) normalize.getDouble(0), std = (float) normalize.getDouble(8);
        int features = 784;
        Map<String, Tensor> start = new LinkedHashMap<>();
        start.put("0.weight", floats(dir, "0.weight", 256, features));
        start.put("0.bias", floats(dir, "0.bias", 256));
        start.put("2.weight", floats(dir, "2.weight", 10, 256));
        start.put("2.bias", floats(dir, "2.bias", 10));
        Path ordersFile = dir.resolve("orders.i32");
        if (!Files.isRegularFile(ordersFile)) throw new IOException(ordersFile + ": missing (run bench/reference/same_start.py --dir " + dir + ")");

        TrainTest sets = BuiltinDatasets.load("fashion-mnist");
        int n = sets.train().size();
        Tensor xTrain = sets.train().inputs().reshape(n, features).sub(mean).div(std).contiguous(), yTrain = sets.train().targets();
        Tensor xTest = sets.test().inputs().reshape(sets.test().size(), features).sub(mean).div(std).contiguous(), yTest = sets.test().targets();
        long bytes = Files.size(ordersFile);
        if (bytes == 0 || bytes % (4L * n) != 0) throw new IOException(ordersFile + ": " + bytes + " bytes is not a whole number of " + n + "-example orders");
        ByteBuffer orders = read(ordersFile, bytes);
        int epochs = (int) (bytes / (4L * n));
        Sequential model = new Sequential(new Linear(features, 256), new ReLU(), new Linear(256, 10));
        model.loadStateDict(start);

        Adam adam = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            for (int from = 0; from < n; from += 64) {
                int size = Math.min(64, n - from);
                float[] index = new float[size];
                for (int j = 0; j < size; j++) index[j] = orders.getInt(4 * ((epoch - 1) * n + from + j));
                Tensor rows = Tensor.fromArray(index, size);
                adam.zeroGrad();
                loss.forward(model.forward(xTrain.indexSelect(0, rows)), yTrain.indexSelect(0, rows)).backward();
                adam.step();
            }
            model.eval();
            try (var _ = NoGrad.enter()) {
                Tensor out = model.forward(xTest);
                double accuracy = out.argmax(1, false).eq(yTest).mean().item(), testLoss = loss.forward(out, yTest).item();
                System.out.printf(Locale.ROOT, "JSON {\"side\":\"nn4j\",\"epoch\":%d,\"test_acc\":%.4f,\"test_loss\":%.5f}%n", epoch, accuracy, testLoss);
            }
        }
    }

    private static ByteBuffer read(Path file, long expectedBytes) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": missing (run bench/reference/same_start.py --dir " + file.getParent() + ")");
        byte[] b = Files.readAllBytes(file);
        if (b.length != expectedBytes) throw new IOException(file + ": expected " + expectedBytes + " bytes but found " + b.length);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Tensor floats(Path dir, String name, int... shape) throws IOException {
        int count = 1;
        for (int d : shape) count *= d;
        ByteBuffer b = read(dir.resolve(name + ".f32"), 4L * count);
        float[] values = new float[count];
        b.asFloatBuffer().get(values);
        return Tensor.fromArray(values, shape);
    }
}
