package dev.nn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.Preprocessing;
import dev.nn4j.data.sets.MnistSample;
import dev.nn4j.io.ModelFile;
import dev.nn4j.nn.Linear;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nn4j eval} and {@code nn4j predict} on a model trained once by the real {@code train} command. */
class EvalAndPredictCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainOnce() {
        CliRun run = CliRun.of("train", "--epochs", "1", "--hidden", "64", "--quiet", "--out", dir.resolve("run").toString());
        assertEquals(0, run.code(), run.err());
        model = dir.resolve("run/model.safetensors");
    }

    @Test
    void evalJsonAgreesWithTheAccuracyRecordedAtTrainingTime() throws IOException {
        CliRun run = CliRun.of("eval", "--model", model.toString(), "--dataset", "mnist-sample", "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        double recorded = Double.parseDouble(ModelFile.load(model).metadata().get("test_accuracy"));
        assertEquals(recorded, json.get("accuracy").asDouble(), 1e-6);
        assertEquals(2000, json.get("samples").asInt());
        assertTrue(json.get("loss").asDouble() > 0);
        assertEquals(10, json.get("per_class").size());
        assertEquals(10, json.get("confusion_matrix").size());
    }

    @Test
    void evalTablesOnTheTrainSplit() {
        CliRun run = CliRun.of("eval", "--model", model.toString(), "--split", "train");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("(train split, 8000 examples)") && run.out().contains("confusion matrix"), run.out());
    }

    @Test
    void predictNamesTheSameClassAsTheModelForEachImage() throws IOException {
        MnistSample.Split test = MnistSample.test();
        ModelFile.Loaded loaded = ModelFile.load(model);
        String[] args = new String[5];
        args[0] = "predict";
        args[1] = "--model";
        args[2] = model.toString();
        int[] expected = new int[2];
        for (int i = 0; i < 2; i++) {
            float[] pixels = test.images().select(0, i).toFloatArray();
            BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) png.getRaster().setSample(p % 28, p / 28, 0, Math.round(pixels[p] * 255));
            Path file = dir.resolve("digit" + i + ".png");
            ImageIO.write(png, "png", file.toFile());
            args[3 + i] = file.toString();
            try (var _ = NoGrad.enter()) {
                Tensor x = Tensor.fromArray(pixels, 1, 784).mul(255f).add(0f);
                // the PNG holds pixels rounded to bytes, so predict on exactly those values
                float[] rounded = x.toFloatArray();
                for (int p = 0; p < 784; p++) rounded[p] = Math.round(rounded[p]) / 255f;
                // and through the stored preprocessing (normalize, the default), as predict applies it
                Tensor input = Preprocessing.fromJson(loaded.metadata().get(Preprocessing.METADATA_KEY)).apply(Tensor.fromArray(rounded, 1, 784));
                expected[i] = (int) loaded.model().forward(input).argmax().item();
            }
        }
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length, run.out());
        for (int i = 0; i < 2; i++) {
            assertTrue(lines[i].startsWith(args[3 + i] + ": " + expected[i] + "  (top 3: " + expected[i] + " "), lines[i]);
        }
    }

    @Test
    void modelAndDataOfDifferentShapesGiveOneClearLine() {
        Path small = dir.resolve("small.safetensors");
        ModelFile.save(small, new Linear(100, 10), Map.of("input_shape", "[100]", "classes", "0,1,2,3,4,5,6,7,8,9"));
        CliRun run = CliRun.of("eval", "--model", small.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("nn4j eval: the model expects inputs of shape [100] but mnist-sample has inputs of shape [784]"), run.err());
        CliRun missing = CliRun.of("predict", "--model", model.toString(), dir.resolve("nope.png").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("nn4j predict: no such image: "), missing.err());
    }
}
