package dev.nn4j.cli;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.sets.ColorMode;
import dev.nn4j.data.sets.Images;
import dev.nn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nn4j predict}: the class and top-3 probabilities of each image. Images are converted to grey (or RGB,
 * as the model was trained), resized to the model's input size, scaled to [0, 1], and the stored preprocessing is
 * applied. MNIST-style models expect a light digit on a dark background, as in the training data.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify images (PNG/JPEG) with a model file: class and top-3 probabilities per image.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "PNG or JPEG files.")
    List<Path> images;

    @Override
    public Integer call() {
        ModelOption.Loaded loaded = model.load();
        int[] shape = loaded.inputShape();
        if (shape == null) throw new IllegalArgumentException(model.file + " does not record its input shape; it was not written by nn4j train");
        TrainCommand.imageShape(prepend(shape)); // checks that the inputs are images
        int channels = shape.length == 3 ? shape[0] : 1;
        int side = shape.length == 3 ? shape[1] : (int) Math.round(Math.sqrt(shape[0]));
        int width = shape.length == 3 ? shape[2] : side;
        List<Tensor> inputs = new ArrayList<>();
        for (Path image : images) {
            if (!Files.isRegularFile(image)) throw new IllegalArgumentException("no such image: " + image);
            Tensor x = Images.read(image, side, width, channels == 3 ? ColorMode.RGB : ColorMode.GREY);
            inputs.add(x.reshape(shape));
        }
        Tensor probabilities;
        try (var _ = NoGrad.enter()) {
            Tensor batch = loaded.preprocessing().apply(Tensor.stack(inputs, 0));
            probabilities = loaded.model().model().forward(batch).softmax(1);
        }
        for (int i = 0; i < images.size(); i++) {
            float[] p = probabilities.select(0, i).toFloatArray();
            Integer[] order = new Integer[p.length];
            for (int c = 0; c < p.length; c++) order[c] = c;
            java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
            StringBuilder top = new StringBuilder();
            for (int k = 0; k < Math.min(3, p.length); k++) {
                top.append(String.format(Locale.ROOT, "%s%s %.1f%%", k > 0 ? ", " : "", name(loaded, order[k]), 100 * p[order[k]]));
            }
            System.out.printf(Locale.ROOT, "%s: %s  (top 3: %s)%n", images.get(i), name(loaded, order[0]), top);
        }
        return 0;
    }

    private static String name(ModelOption.Loaded loaded, int c) {
        return c < loaded.classes().size() ? loaded.classes().get(c) : Integer.toString(c);
    }

    private static int[] prepend(int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = 1;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
