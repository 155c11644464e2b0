package dev.nn4j.cli;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.sets.MnistSample;
import dev.nn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    @Test
    void oneEpochLearnsTheDigitsAndSavesALoadableModel(@TempDir Path dir) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run("train", "--epochs", "1", "--out", dir.toString());
        } finally {
            System.setOut(saved);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("epoch  1/1") && out.contains("test accuracy"), out);

        ModelFile.Loaded loaded = ModelFile.load(dir.resolve("model.safetensors"));
        assertEquals("1", loaded.metadata().get("epochs"));
        MnistSample.Split test = MnistSample.test();
        try (var _ = NoGrad.enter()) {
            float accuracy = loaded.model().forward(test.images()).argmax(1, false).eq(test.labels()).mean().item();
            assertTrue(accuracy > 0.85f, "accuracy after one epoch " + accuracy);
            assertEquals(Float.parseFloat(loaded.metadata().get("test_accuracy")), accuracy, 1e-4);
        }
    }

    @Test
    void invalidOptionsAreRejectedWithExitCode2() {
        PrintStream savedErr = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(2, Main.run("train", "--epochs", "0"));
            assertEquals(2, Main.run("train", "--no-such-option"));
        } finally {
            System.setErr(savedErr);
        }
    }
}
