package dev.nn4j.io;

import dev.nn4j.nn.Module;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole model in one safetensors file: the state dict as tensors, and in {@code __metadata__} the
 * architecture ({@code nn4j.spec}, see {@link ModelSpec}), the format version and any training information
 * the caller adds. Any safetensors reader (PyTorch's included) can read the weights; nn4j rebuilds the model.
 * Writes are atomic.
 */
public final class ModelFile {
    public static final String SPEC_KEY = "nn4j.spec", FORMAT_KEY = "nn4j.format", FORMAT = "nn4j-model-1";

    /** The rebuilt model (in eval mode) and all metadata of its file. */
    public record Loaded(Module model, Map<String, String> metadata) {}

    private ModelFile() {}

    /**
     * Saves {@code model}'s architecture and weights. {@code info} (for example epochs, optimizer, accuracy)
     * goes into the metadata as given, for example the fitted preprocessing under {@code nn4j.preprocessing};
     * {@link #SPEC_KEY} and {@link #FORMAT_KEY} are written by this method and cannot be given.
     */
    public static void save(Path file, Module model, Map<String, String> info) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT_KEY, FORMAT);
        metadata.put(SPEC_KEY, ModelSpec.toJson(model));
        info.forEach((k, v) -> {
            if (k.equals(SPEC_KEY) || k.equals(FORMAT_KEY)) {
                throw new IllegalArgumentException("ModelFile.save: metadata key '" + k + "' is written by ModelFile itself");
            }
            metadata.put(k, v);
        });
        Safetensors.write(file, model.stateDict(), metadata);
    }

    /** Loads a file written by {@link #save}: rebuilds the architecture and loads the weights strictly. */
    public static Loaded load(Path file) {
        SafetensorsFile contents = Safetensors.read(file);
        String spec = contents.metadata().get(SPEC_KEY);
        if (spec == null) {
            throw new ModelFileException(file.toString(), "has no '" + SPEC_KEY + "' metadata, so the architecture is unknown; "
                    + "read its weights with Safetensors.read and load them with Module.loadStateDict");
        }
        Module model;
        try {
            model = ModelSpec.fromJson(spec);
            model.loadStateDict(contents.tensors());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file.toString(), e.getMessage(), e);
        }
        model.eval();
        return new Loaded(model, contents.metadata());
    }
}
