package dev.nn4j.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainJvmOptionsTest {
    @Test
    void readsOptionsInOrderWithoutCommentsOrBlankLines(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("scripts"));
        Files.writeString(root.resolve(TrainJvmOptions.FILE), "# why\n-XX:A=1\n\n  # indented comment\n-XX:CompileCommand=quiet  \n");
        assertEquals(List.of("-XX:A=1", "-XX:CompileCommand=quiet"), TrainJvmOptions.read(root));
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path root) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainJvmOptions.read(root));
        assertTrue(e.getMessage().contains(root.resolve(TrainJvmOptions.FILE).toString()), e.getMessage());
    }

    /** The project's own file (the module's parent directory is the repository root): options only, JVM syntax. */
    @Test
    void theLaunchersFileHoldsOnlyJvmOptions() {
        List<String> options = TrainJvmOptions.read(Path.of("..").toAbsolutePath().normalize());
        assertTrue(options.contains("-XX:CompileThresholdScaling=0.2"), options.toString());
        assertTrue(options.contains("-XX:CompileCommand=quiet"), options.toString());
        for (String option : options) assertTrue(option.startsWith("-XX:") && !option.contains(" "), option);
    }
}
