package dev.nn4j.serve.model;

import java.nio.file.Path;

/**
 * Where a served model comes from: {@code name=path} as given on the command line. {@code path} is either one model
 * file or a directory of versioned files {@code <version>.safetensors} (e.g. {@code 1.safetensors},
 * {@code 2.safetensors}); see {@link ModelRepository} for how versions are numbered.
 */
public record ModelSource(String name, Path path) {
    public ModelSource {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("model name '" + name + "' must be letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (path == null) throw new IllegalArgumentException("model " + name + ": no path");
    }

    /** Parses {@code NAME=PATH}. */
    public static ModelSource parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--model expects NAME=PATH (e.g. mnist=runs/mnist/model.safetensors) but got '" + spec + "'");
        }
        return new ModelSource(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
    }
}
