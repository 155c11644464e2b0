package dev.nn4j.cli;

import dev.nn4j.data.Preprocessing;
import dev.nn4j.io.ModelFile;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The {@code --model FILE} option of {@code eval} and {@code predict}, and what a model file says about its inputs. */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file written by nn4j train.")
    Path file;

    /** The loaded model with its metadata. */
    record Loaded(ModelFile.Loaded model, Preprocessing preprocessing, List<String> classes, int[] inputShape) {}

    Loaded load() {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such model file: " + file);
        ModelFile.Loaded loaded = ModelFile.load(file);
        String pre = loaded.metadata().get(Preprocessing.METADATA_KEY);
        String classes = loaded.metadata().get("classes");
        String shape = loaded.metadata().get("input_shape");
        return new Loaded(loaded, pre == null ? Preprocessing.none() : Preprocessing.fromJson(pre),
                classes == null ? List.of() : List.of(classes.split(",")),
                shape == null ? null : Arrays.stream(shape.replaceAll("[\\[\\] ]", "").split(",")).mapToInt(Integer::parseInt).toArray());
    }
}
