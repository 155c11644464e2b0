package dev.nn4j.cli;

import dev.nn4j.io.ModelSpec;
import dev.nn4j.nn.Dropout;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the {@code train} options name: the model ({@code mlp} or a JSON spec file), the optimizer and the
 * learning-rate schedule. Every layer, optimizer and schedule here is the library's own class; this file only
 * maps option values onto constructors and says what is valid when a value is not.
 */
final class Recipes {
    static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "rmsprop", "adagrad");
    static final List<String> SCHEDULES = List.of("none", "step", "cosine", "onecycle", "warmup", "plateau");

    private Recipes() {}

    /**
     * {@code mlp}: Flatten, then Linear+ReLU (+Dropout) per hidden width, then Linear to the classes.
     * Anything else is read as the path of a JSON spec file ({@link ModelSpec}).
     */
    static Module model(String name, int[] hidden, double dropout, int inputs, int classes) {
        if (name.equals("mlp")) {
            Sequential mlp = new Sequential(new Flatten());
            int width = inputs;
            for (int h : hidden) {
                if (h < 1) throw new IllegalArgumentException("--hidden widths must be at least 1 but got " + h);
                mlp.add(new Linear(width, h)).add(new ReLU());
                if (dropout > 0) mlp.add(new Dropout(dropout));
                width = h;
            }
            return mlp.add(new Linear(width, classes));
        }
        Path spec = Path.of(name);
        if (!Files.isRegularFile(spec)) {
            throw new IllegalArgumentException("--model must be 'mlp' or a JSON spec file, but '" + name + "' is neither");
        }
        try {
            return ModelSpec.fromJson(Files.readString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model spec " + spec + ": " + e.getMessage(), e);
        }
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
