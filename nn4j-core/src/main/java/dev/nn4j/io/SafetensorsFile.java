package dev.nn4j.io;

import dev.nn4j.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Safetensors#read} returns: the tensors in header order (float32, converted from the stored dtype)
 * and the {@code __metadata__} strings in header order (empty when the file has none).
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }

    /** The tensor called {@code name}, or an error that lists the names the file has. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no tensor \"" + name + "\" in the file; it has " + tensors.keySet());
        return t;
    }
}
