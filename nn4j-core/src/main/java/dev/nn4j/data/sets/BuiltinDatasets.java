package dev.nn4j.data.sets;

import dev.nn4j.data.TensorDataset;
import dev.nn4j.tensor.Tensor;

import java.util.List;

/**
 * The built-in datasets by name, as {@code --dataset} takes them: {@code mnist-sample} (10,000 digits embedded
 * in the jar, split 8,000 train / 2,000 test), {@code mnist} and {@code fashion-mnist} (60,000 / 10,000, found on
 * disk or downloaded; see {@link MnistFamily}). Every one returns images scaled to [0, 1] as {@code [N, 784]}
 * by default or {@code [N, 1, 28, 28]} with {@link ImageLayout#CHW}, labels {@code [N]} as floats, and its class names.
 *
 * {@snippet :
 * TrainTest data = BuiltinDatasets.load("fashion-mnist");            // [60000, 784] and [10000, 784]
 * TrainTest conv = BuiltinDatasets.load("mnist-sample", DatasetOptions.defaults().withLayout(ImageLayout.CHW));
 * }
 */
public final class BuiltinDatasets {
    public static final String MNIST_SAMPLE = "mnist-sample";
    /** Every name {@link #load} accepts. */
    public static final List<String> NAMES = List.of(MNIST_SAMPLE, MnistFamily.MNIST.name(), MnistFamily.FASHION_MNIST.name());
    /** The class names of the digit datasets: "0" to "9". */
    public static final List<String> DIGITS = MnistFamily.MNIST.classes();

    private BuiltinDatasets() {}

    /** The named dataset with {@link DatasetOptions#defaults()}. */
    public static TrainTest load(String name) {
        return load(name, DatasetOptions.defaults());
    }

    public static TrainTest load(String name, DatasetOptions options) {
        return switch (name) {
            case MNIST_SAMPLE -> new TrainTest(sample(MnistSample.train(), options.layout()), sample(MnistSample.test(), options.layout()));
            case "mnist" -> MnistFamily.MNIST.load(options);
            case "fashion-mnist" -> MnistFamily.FASHION_MNIST.load(options);
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; the built-in datasets are " + String.join(", ", NAMES));
        };
    }

    private static TensorDataset sample(MnistSample.Split split, ImageLayout layout) {
        Tensor images = split.images().reshape(layout.shape(split.size(), 28, 28));
        return new TensorDataset(images, split.labels(), DIGITS);
    }
}
