package dev.nn4j.cli;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.io.ModelSpec;
import dev.nn4j.nn.Conv2d;
import dev.nn4j.nn.Dropout;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.LSTM;
import dev.nn4j.nn.LayerNorm;
import dev.nn4j.nn.LearnedPositionalEncoding;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.MaxPool2d;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.SequencePool;
import dev.nn4j.nn.Sequential;
import dev.nn4j.nn.TransformerEncoder;
import dev.nn4j.nn.TransformerEncoderLayer;
import dev.nn4j.optim.Adagrad;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.AdamW;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.RMSprop;
import dev.nn4j.optim.Sgd;
import dev.nn4j.optim.schedule.CosineAnnealingLR;
import dev.nn4j.optim.schedule.LinearLR;
import dev.nn4j.optim.schedule.LrScheduler;
import dev.nn4j.optim.schedule.OneCycleLR;
import dev.nn4j.optim.schedule.StepLR;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the {@code train} options name: the model (a preset or a JSON spec file), the optimizer and the
 * learning-rate schedule. Every layer, optimizer and schedule here is the library's own class; this file only
 * maps option values onto constructors and says what is valid when a value is not.
 */
final class Recipes {
    static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "rmsprop", "adagrad");
    static final List<String> SCHEDULES = List.of("none", "step", "cosine", "onecycle", "warmup", "plateau");

    private Recipes() {}

    /**
     * The preset architectures of {@code --model}. Image presets take {@code [B, 1, 28, 28]}; sequence presets read
     * the 28 rows as 28 time steps of 28 features ({@code Flatten(1, 2)} gives batch-first {@code [B, 28, 28]}).
     */
    static final List<String> PRESETS = List.of("mlp", "cnn", "lenet5", "lstm", "transformer");
    /** The one example shape every non-MLP preset takes: a 28×28 grey image, channels first. */
    static final int[] IMAGE = {1, 28, 28};

    /** A model and the shape of one example it takes, without the batch dimension ({@code [784]} or {@code [1, 28, 28]}). */
    record Model(Module net, int[] inputShape) {}

    /**
     * The model for {@code --model}, for datasets whose examples have shape {@code example} and {@code classes} classes.
     * {@code mlp}: Flatten, then Linear+ReLU (+Dropout) per hidden width, then Linear to the classes, on flat inputs.
     * The other presets take 1×28×28 images and refuse datasets of any other size. Anything else is read as the path
     * of a JSON spec file ({@link ModelSpec}); it gets flat inputs if it takes them, else images {@code [C, H, W]}.
     */
    static Model model(String name, int[] hidden, double dropout, int[] example, int classes) {
        int values = Shape.numel(example);
        if (name.equals("mlp")) {
            Sequential mlp = new Sequential(new Flatten());
            int width = values;
            for (int h : hidden) {
                if (h < 1) throw new IllegalArgumentException("--hidden widths must be at least 1 but got " + h);
                mlp.add(new Linear(width, h)).add(new ReLU());
                if (dropout > 0) mlp.add(new Dropout(dropout));
                width = h;
            }
            return new Model(mlp.add(new Linear(width, classes)), new int[] {values});
        }
        if (PRESETS.contains(name)) {
            if (!isGreyImage28(example)) {
                throw new IllegalArgumentException("--model " + name + " takes 1×28×28 grey images (like mnist, fashion-mnist and mnist-sample) "
                        + "but the dataset's examples have shape " + Arrays.toString(example) + "; use --model mlp or a JSON spec file");
            }
            return new Model(preset(name, classes), IMAGE.clone());
        }
        Path spec = Path.of(name);
        if (!Files.isRegularFile(spec)) {
            throw new IllegalArgumentException("--model must be one of " + String.join(", ", PRESETS) + " or a JSON spec file, but '"
                    + name + "' is neither");
        }
        Module net;
        try {
            net = ModelSpec.fromJson(Files.readString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model spec " + spec + ": " + e.getMessage(), e);
        }
        return new Model(net, inputShapeOf(net, example, spec.toString()));
    }

    /** The non-MLP presets, as the Round-5 recipes define them; every layer draws its initial weights from the global generator. */
    private static Module preset(String name, int classes) {
        Generator gen = Generator.global();
        return switch (name) {
            // the PyTorch MNIST example (pytorch/examples mnist/main.py)
            case "cnn" -> new Sequential(new Conv2d(1, 32, 3), new ReLU(), new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
                    new Dropout(0.25), new Flatten(), new Linear(9216, 128), new ReLU(), new Dropout(0.5), new Linear(128, classes));
            // LeNet-5 (LeCun et al. 1998) with ReLU and max pooling; padding 2 turns 28×28 into LeNet's 32×32
            case "lenet5" -> new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5), new ReLU(),
                    new MaxPool2d(2), new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, classes));
            // sequential MNIST: 28 rows as 28 steps, the last hidden state classifies
            case "lstm" -> new Sequential(new Flatten(1, 2), new LSTM(28, 128, 1, true, true, 0, false, gen), new SequencePool("last"),
                    new Linear(128, classes));
            // rows as 28 tokens: a linear embedding plus learned positions, a 2-layer pre-norm encoder, mean over tokens
            case "transformer" -> new Sequential(new Flatten(1, 2), new Linear(28, 64), new LearnedPositionalEncoding(28, 64, gen),
                    new TransformerEncoder(new TransformerEncoderLayer(64, 4, 128, 0.1, "relu", 1e-5, true, true, gen), 2, new LayerNorm(64)),
                    new SequencePool("mean"), new Linear(64, classes));
            default -> throw new IllegalStateException("no preset " + name);
        };
    }

    /** Whether {@code example} holds one 28×28 grey image: {@code [784]}, {@code [28, 28]} or {@code [1, 28, 28]}. */
    static boolean isGreyImage28(int[] example) {
        return Arrays.equals(example, new int[] {784}) || Arrays.equals(example, new int[] {28, 28}) || Arrays.equals(example, IMAGE);
    }

    /**
     * The example shape a spec-built model takes: flat {@code [values]} if a forward pass on one such example works,
     * else {@code [C, H, W]} for image data; an error quoting the model's own complaint for each when neither works.
     * The probe runs in eval mode without gradients, so it changes no weights or running statistics.
     */
    static int[] inputShapeOf(Module net, int[] example, String spec) {
        List<int[]> candidates = new ArrayList<>();
        candidates.add(new int[] {Shape.numel(example)});
        int[] batch = new int[example.length + 1];
        batch[0] = 1;
        System.arraycopy(example, 0, batch, 1, example.length);
        try {
            var image = TrainCommand.imageShape(batch);
            candidates.add(new int[] {image.channels(), image.height(), image.width()});
        } catch (IllegalArgumentException notAnImage) {
            // only the flat layout applies
        }
        boolean training = net.isTraining();
        List<String> problems = new ArrayList<>();
        try (var _ = NoGrad.enter()) {
            net.eval();
            for (int[] shape : candidates) {
                int[] one = new int[shape.length + 1];
                one[0] = 1;
                System.arraycopy(shape, 0, one, 1, shape.length);
                try {
                    net.forward(Tensor.zeros(one));
                    return shape;
                } catch (RuntimeException e) {
                    problems.add("as " + Arrays.toString(one) + ": " + e.getMessage());
                }
            }
        } finally {
            net.train(training);
        }
        throw new IllegalArgumentException("model spec " + spec + " does not take the dataset's examples (shape " + Arrays.toString(example)
                + ") " + String.join("; ", problems));
    }

    /** The optimizer for {@code --optimizer}; Sgd uses momentum 0.9 (PyTorch's examples do too). */
    static Optimizer optimizer(String name, List<dev.nn4j.tensor.Tensor> params, double lr, double weightDecay) {
        return switch (name) {
            case "adam" -> new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
            case "adamw" -> new AdamW(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
            case "sgd" -> new Sgd(params, lr, 0.9, 0, weightDecay, false, false);
            case "rmsprop" -> new RMSprop(params, lr, 0.99, 1e-8, weightDecay, 0, false);
            case "adagrad" -> new Adagrad(params, lr, 0, weightDecay, 0, 1e-10);
            default -> throw new IllegalArgumentException("unknown --optimizer '" + name + "'; choose one of " + String.join(", ", OPTIMIZERS));
        };
    }

    /** A schedule stepped once per batch, or null for {@code none} and {@code plateau} (which the caller wires itself). */
    static LrScheduler schedule(String name, Optimizer optimizer, double lr, int epochs, int batchesPerEpoch) {
        int steps = epochs * batchesPerEpoch;
        return switch (name) {
            case "none", "plateau" -> null;
            case "step" -> new StepLR(optimizer, Math.max(1, steps / 3), 0.1);           // ×0.1 after each third of training
            case "cosine" -> new CosineAnnealingLR(optimizer, steps);                       // to 0 over the whole run
            case "onecycle" -> new OneCycleLR(optimizer, lr, steps);                        // PyTorch's defaults
            case "warmup" -> new LinearLR(optimizer, 0.01, 1.0, Math.max(1, batchesPerEpoch)); // first epoch from 1% up
            default -> throw new IllegalArgumentException("unknown --schedule '" + name + "'; choose one of " + String.join(", ", SCHEDULES));
        };
    }
}
