package dev.nn4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM options the {@code nn4j} launcher gives {@code nn4j train}, read from {@code scripts/train-jvm-options} (one
 * option per line, {@code #} comment lines), so that the benchmark trains nn4j as a user's {@code nn4j train} runs.
 */
final class TrainJvmOptions {
    static final String FILE = "scripts/train-jvm-options";

    private TrainJvmOptions() {}

    /** The options in {@code root}'s {@value #FILE}, in order, without comment and blank lines. */
    static List<String> read(Path root) {
        Path file = root.resolve(FILE);
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the nn4j launcher's training options are missing: " + file + " (run from a checkout of nn4j, or pass --root)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
