package dev.nn4j.cli;

import dev.nn4j.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code nn4j info FILE}: the architecture, parameter count and metadata of a model file. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model file's architecture, parameter count and metadata.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A model file written by nn4j (.safetensors).")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such model file: " + file);
        ModelFile.Loaded loaded = ModelFile.load(file);
        PrintStream out = System.out;
        out.println("file: " + file);
        String tree = loaded.model().toString();
        out.println(tree);
        // a container's tree already ends with its parameter count
        if (!tree.contains("\nParameters: ")) out.printf(Locale.ROOT, "Parameters: %,d%n", loaded.model().parameterCount());
        out.println("metadata:");
        Map<String, String> sorted = new TreeMap<>(loaded.metadata());
        sorted.remove(ModelFile.SPEC_KEY); // the architecture is printed above
        sorted.forEach((k, v) -> out.println("  " + k + " = " + v));
        return 0;
    }
}
