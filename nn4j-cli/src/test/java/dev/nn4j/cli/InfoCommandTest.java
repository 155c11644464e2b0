package dev.nn4j.cli;

import dev.nn4j.io.ModelFile;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {

    @Test
    void printsArchitectureParameterCountAndMetadata(@TempDir Path dir) {
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2)), Map.of("epochs", "7"));
        CliRun run = CliRun.of("info", file.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("(0): Linear(in_features=4, out_features=3, bias=True)"), run.out());
        assertTrue(run.out().contains("Parameters: 23 (trainable: 23, frozen: 0)"), run.out());
        assertTrue(run.out().contains("epochs = 7") && run.out().contains("nn4j.format = nn4j-model-1"), run.out());
    }

    @Test
    void missingOrCorruptFileIsOneLineAndExitCode1(@TempDir Path dir) {
        CliRun missing = CliRun.of("info", dir.resolve("nope.safetensors").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("nn4j info: no such model file: "), missing.err());
        assertFalse(missing.err().contains("at dev.nn4j"), "no stack trace without --debug: " + missing.err());

        CliRun debug = CliRun.of("--debug", "info", dir.resolve("nope.safetensors").toString());
        assertTrue(debug.err().contains("at dev.nn4j.cli.InfoCommand"), "--debug shows the trace: " + debug.err());
    }
}
