package dev.nn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.Preprocessing;
import dev.nn4j.data.sets.MnistSample;
import dev.nn4j.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One short run of each preset family through the real {@code nn4j train} command on a few hundred mnist-sample
 * digits, then {@code eval}, {@code predict} and {@code info} on the CNN's model file. A fresh 10-class classifier
 * starts near the uniform guess, loss ln 10 ≈ 2.303 and accuracy 10%; each run must end clearly below and above.
 * The runs are seeded and thread-count independent, so the figures are fixed (cnn 75.3%, lenet5 59.5%, lstm 48.3%).
 */
class PresetTrainingTest {
    private static final double LN10 = Math.log(10);

    @TempDir
    static Path dir;
    static Path cnn;

    @BeforeAll
    static void trainTheCnnOnce() {
        cnn = train("cnn", dir.resolve("cnn"), 0.6, "--limit-train", "320", "--batch-size", "16");
    }

    /** Trains one epoch, checks the model file's metadata and the fall of the loss, and returns the model file. */
    private static Path train(String model, Path out, double minAccuracy, String... options) {
        String[] args = new String[6 + options.length];
        System.arraycopy(new String[] {"train", "--model", model, "--quiet", "--out", out.toString()}, 0, args, 0, 6);
        System.arraycopy(options, 0, args, 6, options.length);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.err());
        ModelFile.Loaded loaded = ModelFile.load(out.resolve("model.safetensors"));
        assertEquals("[1, 28, 28]", loaded.metadata().get("input_shape"));
        assertEquals(model, loaded.metadata().get("model"));
        assertTrue(loaded.metadata().get("nn4j.preprocessing").contains("normalize"), "normalize is the default preprocessing");
        try {
            List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
            double trainLoss = Double.parseDouble(rows.get(1).split(",")[1]);
            assertTrue(trainLoss < LN10, model + ": mean training loss of the epoch " + trainLoss);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        double testLoss = Double.parseDouble(loaded.metadata().get("test_loss"));
        double accuracy = Double.parseDouble(loaded.metadata().get("test_accuracy"));
        assertTrue(testLoss < 0.7 * LN10, model + ": test loss " + testLoss);
        assertTrue(accuracy > minAccuracy, model + ": test accuracy " + accuracy);
        return out.resolve("model.safetensors");
    }

    @Test
    void cnnLearnsFromThreeHundredDigits() {
        assertTrue(cnn.toFile().isFile());
    }

    @Test
    void lenet5LearnsFromSixHundredDigits() {
        train("lenet5", dir.resolve("lenet5"), 0.45, "--limit-train", "640", "--batch-size", "16");
    }

    @Test
    void transformerLearnsFromDigitsReadRowByRow() {
        train("transformer", dir.resolve("transformer"), 0.35, "--limit-train", "640", "--batch-size", "16", "--lr", "0.003");
    }

    @Test
    void lstmLearnsFromDigitsReadRowByRow() {
        train("lstm", dir.resolve("lstm"), 0.35, "--limit-train", "640", "--batch-size", "16", "--lr", "0.003");
    }

    @Test
    void evalOfTheCnnFileAgreesWithTrainingTime() throws IOException {
        CliRun run = CliRun.of("eval", "--model", cnn.toString(), "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(Double.parseDouble(ModelFile.load(cnn).metadata().get("test_accuracy")), json.get("accuracy").asDouble(), 1e-6);
        assertEquals(2000, json.get("samples").asInt());
    }

    @Test
    void predictAndInfoReadTheCnnFile() throws IOException {
        // a test digit as a PNG; predict must name the class the model gives the same (byte-rounded) pixels
        float[] pixels = MnistSample.test().images().select(0, 0).toFloatArray();
        BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] rounded = new float[784];
        for (int p = 0; p < 784; p++) {
            int b = Math.round(pixels[p] * 255);
            png.getRaster().setSample(p % 28, p / 28, 0, b);
            rounded[p] = b / 255f;
        }
        Path file = dir.resolve("digit.png");
        ImageIO.write(png, "png", file.toFile());
        ModelFile.Loaded loaded = ModelFile.load(cnn);
        int expected;
        try (var _ = NoGrad.enter()) {
            var x = Preprocessing.fromJson(loaded.metadata().get(Preprocessing.METADATA_KEY)).apply(dev.nn4j.tensor.Tensor.fromArray(rounded, 1, 1, 28, 28));
            expected = (int) loaded.model().eval().forward(x).argmax().item();
        }
        CliRun predict = CliRun.of("predict", "--model", cnn.toString(), file.toString());
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.out().startsWith(file + ": " + expected + "  (top 3: " + expected + " "), predict.out());

        CliRun info = CliRun.of("info", cnn.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("(0): Conv2d(1, 32, kernel_size=(3, 3)") && info.out().contains("Parameters: 1,199,882"), info.out());
        assertTrue(info.out().contains("input_shape = [1, 28, 28]"), info.out());
    }
}
