package dev.nn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real {@code nn4j train} command in-process, as a user would, and reads what it leaves behind. */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoEpochsOnTheMnistSampleReachNinetyPercentAndLeaveEveryArtefact(@TempDir Path dir) throws IOException {
        CliRun run = CliRun.of("train", "--epochs", "2", "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().matches("(?s).*epoch +2/2 +train_loss.*test accuracy.*"), run.out());

        ModelFile.Loaded model = ModelFile.load(dir.resolve("model.safetensors"));
        double accuracy = Double.parseDouble(model.metadata().get("test_accuracy"));
        assertTrue(accuracy > 0.90, "2 epochs of the seed MLP: " + accuracy);
        assertEquals("0,1,2,3,4,5,6,7,8,9", model.metadata().get("classes"));
        assertEquals("[784]", model.metadata().get("input_shape"));

        for (String f : List.of("report.md", "report.json", "curves.png", "confusion.png", "metrics.csv", "metrics.jsonl",
                "checkpoints/best.safetensors", "checkpoints/last.safetensors", "checkpoints/resume/checkpoint.json")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        try (Stream<Path> events = Files.list(dir)) {
            assertTrue(events.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")));
        }
        JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        assertEquals(accuracy, report.get("test_accuracy").asDouble(), 1e-6);
        assertEquals(2, report.get("epochs").size());
        assertEquals("mnist-sample", report.get("dataset").asText());
        assertEquals(203_530, report.get("parameters").asLong());
        assertEquals(0, report.get("seed").asLong());
        assertTrue(report.get("train_seconds").asDouble() > 0);
        for (String key : List.of("epoch", "train_loss", "train_accuracy", "lr", "seconds")) {
            assertTrue(report.get("epochs").get(1).has(key), key);
        }
        assertEquals(3, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header and one row per epoch");
    }

    @Test
    void resumedRunPrintsTheSameLossesAsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        String[] recipe = {"--epochs", "2", "--hidden", "32", "--dropout", "0.2", "--augment", "digits", "--seed", "7", "--quiet"};
        CliRun whole = CliRun.of(concat(new String[] {"train", "--out", dir.resolve("whole").toString()}, recipe));
        assertEquals(0, whole.code(), whole.err());

        // "interrupted" after epoch 1: run one epoch, then resume the same directory asking for two
        Path part = dir.resolve("part");
        String[] first = recipe.clone();
        first[1] = "1";
        assertEquals(0, CliRun.of(concat(new String[] {"train", "--out", part.toString()}, first)).code());
        CliRun resumed = CliRun.of(concat(new String[] {"train", "--resume", part.toString()}, recipe));
        assertEquals(0, resumed.code(), resumed.err());

        assertEquals(withoutSeconds(dir.resolve("whole/metrics.csv")), withoutSeconds(part.resolve("metrics.csv")));
        assertEquals(ModelFile.load(dir.resolve("whole/model.safetensors")).metadata().get("test_accuracy"),
                ModelFile.load(part.resolve("model.safetensors")).metadata().get("test_accuracy"));
    }

    @Test
    void oneThreadAndTwoThreadsTrainIdentically(@TempDir Path dir) throws IOException {
        for (String threads : new String[] {"1", "2"}) {
            CliRun run = CliRun.of("train", "--epochs", "1", "--threads", threads, "--quiet", "--out", dir.resolve(threads).toString());
            assertEquals(0, run.code(), run.err());
        }
        assertEquals(withoutSeconds(dir.resolve("1/metrics.csv")), withoutSeconds(dir.resolve("2/metrics.csv")));
        assertEquals(1, CliRun.of("train", "--threads", "0").code());
    }

    @Test
    void validationSplitEarlyStoppingAndScheduleAreWired(@TempDir Path dir) throws IOException {
        CliRun run = CliRun.of("train", "--epochs", "3", "--hidden", "64,32", "--val-split", "0.1", "--early-stopping", "1",
                "--schedule", "cosine", "--optimizer", "adamw", "--weight-decay", "0.01", "--preprocess", "standardize",
                "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("7200 train / 800 validation"), run.out());
        assertTrue(run.out().contains("val_loss"), run.out());
        String header = Files.readAllLines(dir.resolve("metrics.csv")).getFirst();
        assertTrue(header.contains("val_accuracy"), header);
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertFalse(rows.get(1).equals(rows.get(rows.size() - 1)));
        assertTrue(ModelFile.load(dir.resolve("model.safetensors")).metadata().get("nn4j.preprocessing").contains("normalize"));
    }

    @Test
    void badOptionsEndWithOneLineAndANonZeroCode(@TempDir Path dir) {
        CliRun epochs = CliRun.of("train", "--epochs", "0", "--out", dir.toString());
        assertEquals(1, epochs.code());
        assertTrue(epochs.err().startsWith("nn4j train: --epochs must be at least 1 but was 0"), epochs.err());

        CliRun dataset = CliRun.of("train", "--dataset", "cifar-1000", "--out", dir.toString());
        assertEquals(1, dataset.code());
        assertTrue(dataset.err().contains("unknown dataset 'cifar-1000'"), dataset.err());
        assertFalse(dataset.err().contains("\tat "), "no stack trace without --debug");

        assertEquals(2, CliRun.of("train", "--epochs", "many").code(), "picocli rejects a non-number");
        CliRun schedule = CliRun.of("train", "--schedule", "zigzag", "--out", dir.toString());
        assertTrue(schedule.err().contains("unknown --schedule 'zigzag'; choose one of none, step"), schedule.err());
        CliRun resume = CliRun.of("train", "--resume", dir.resolve("nothing-here").toString());
        assertTrue(resume.err().contains("holds no checkpoints/resume/"), resume.err());
    }

    @Test
    void divergingTrainingStopsWithOneLineNamingTheGuardAndTheCheckpoint(@TempDir Path dir) {
        CliRun run = CliRun.of("train", "--lr", "1e30", "--epochs", "2", "--hidden", "8", "--quiet", "--out", dir.toString());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().startsWith("nn4j train: NaN/Inf guard:") && run.err().contains("the last good checkpoint is in"), run.err());
    }

    private static String withoutSeconds(Path csv) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(csv)) sb.append(line.substring(0, line.lastIndexOf(','))).append('\n');
        return sb.toString();
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
