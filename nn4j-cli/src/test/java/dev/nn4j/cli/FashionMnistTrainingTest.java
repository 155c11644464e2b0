package dev.nn4j.cli;

import dev.nn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One short Fashion-MNIST run through the real command; CI installs the data with {@code apt-get install dataset-fashion-mnist}. */
class FashionMnistTrainingTest {

    @Test
    void oneEpochOnFashionMnistFromTheDebianPackage(@TempDir Path dir) {
        assertTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is missing: install it with apt-get install -y dataset-fashion-mnist (.ci/run does)");
        CliRun run = CliRun.of("train", "--dataset", "fashion-mnist", "--epochs", "1", "--quiet", "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        ModelFile.Loaded model = ModelFile.load(dir.resolve("model.safetensors"));
        assertTrue(model.metadata().get("classes").startsWith("T-shirt/top,Trouser"), model.metadata().get("classes"));
        double accuracy = Double.parseDouble(model.metadata().get("test_accuracy"));
        assertTrue(accuracy > 0.80, "one epoch of the seed MLP on Fashion-MNIST: " + accuracy);
    }
}
