package dev.nn4j.train;

import dev.nn4j.data.DataLoader;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.schedule.OneCycleLR;
import dev.nn4j.optim.schedule.ReduceLROnPlateau;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.nn4j.train.Fixtures.blobs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact resume: a run interrupted and resumed from its checkpoint computes the same losses and ends with the same
 * weights, bit for bit, as one that was never interrupted, with shuffling, dropout, a per-batch one-cycle schedule
 * (which also cycles Adam's β₁), ReduceLROnPlateau and stateful callbacks all on.
 */
class ResumeTest {
    private static final int EPOCHS = 4;
    private final TensorDataset train = blobs(60, 1), val = blobs(24, 2);

    @TempDir
    Path tmp;

    /** One run's objects, built from the seed exactly as a program would build them. */
    private final class Run {
        final Generator gen = new Generator(42);
        final Module model = Fixtures.mlp(gen);
        final Optimizer opt = new Adam(model.parameters(), 0.01);
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final EarlyStopping early = new EarlyStopping("val_loss", MonitorMode.MIN, 10, 0, true);
        final Trainer trainer;

        Run(Path dir, Callback... extra) {
            trainer = new Trainer(model, new CrossEntropyLoss(), opt, gen)
                    .scheduler(new OneCycleLR(opt, 0.05, EPOCHS * 4), Trainer.StepEvery.BATCH)   // 60 / 16 → 4 batches per epoch
                    .plateau(new ReduceLROnPlateau(opt), Trainer.VAL_LOSS)
                    .l2(1e-4)
                    .clipGradNorm(2.0)
                    .callbacks(early, new ModelCheckpoint(dir.resolve("models"), "val_accuracy", MonitorMode.AUTO),
                            new MetricsLog(dir.resolve("metrics.csv"), dir.resolve("metrics.jsonl")),
                            new ProgressPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8)))
                    .callbacks(extra)
                    .checkpointDir(dir.resolve("checkpoints"));
        }

        History fit(int epochs) {
            return trainer.fit(new DataLoader(train, 16, true, false, gen), new DataLoader(val, 16), epochs);
        }

        /** The printed lines without their timings. */
        List<String> lines() {
            return printed.toString(StandardCharsets.UTF_8).lines().map(l -> l.replaceAll("\\s+\\([0-9.]+ s\\)$", "")).toList();
        }
    }

    private static List<String> withoutSeconds(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    private void assertSameRun(Run expected, History h1, Run actual, History h2) {
        assertEquals(h1.epochs().size(), h2.epochs().size());
        for (int e = 0; e < h1.epochs().size(); e++) {
            Map<String, Double> a = h1.epochs().get(e).metrics(), b = h2.epochs().get(e).metrics();
            for (String k : a.keySet()) if (!k.equals(Trainer.SECONDS)) assertEquals(a.get(k), b.get(k), "epoch " + (e + 1) + " " + k);
        }
        expected.model.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), actual.model.stateDict().get(k).toFloatArray(), k));
        Map<String, Tensor> o1 = expected.opt.stateDict(), o2 = actual.opt.stateDict();
        assertEquals(o1.keySet(), o2.keySet());
        o1.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), o2.get(k).toFloatArray(), "optimizer " + k));
        assertEquals(expected.gen.state(), actual.gen.state(), "generator state");
        assertEquals(expected.trainer.step(), actual.trainer.step());
        assertEquals(expected.early.bestEpoch(), actual.early.bestEpoch());
    }

    @Test
    void twoEpochsThenResumeForTwoMoreEqualsFourUninterruptedEpochsBitForBit() throws Exception {
        Run whole = new Run(tmp.resolve("whole"));
        History uninterrupted = whole.fit(EPOCHS);

        new Run(tmp.resolve("parts")).fit(2);
        assertEquals(2, Checkpoint.epoch(tmp.resolve("parts/checkpoints")));
        Run second = new Run(tmp.resolve("parts"));
        assertNotEquals(whole.gen.state(), second.gen.state(), "a fresh run starts elsewhere");
        second.trainer.resumeFrom(tmp.resolve("parts/checkpoints"));
        History resumed = second.fit(EPOCHS);

        assertSameRun(whole, uninterrupted, second, resumed);
        assertTrue(uninterrupted.epochs().get(3).get(Trainer.TRAIN_LOSS) < uninterrupted.epochs().get(0).get(Trainer.TRAIN_LOSS), "it learned");
        // the resumed run prints the same epoch lines, and continues the same metrics log
        List<String> wholeLines = whole.lines(), secondLines = second.lines();
        assertEquals("resumed after epoch 2", secondLines.getFirst());
        assertEquals(wholeLines.subList(2, 4), secondLines.subList(1, 3));
        assertEquals(withoutSeconds(tmp.resolve("whole/metrics.csv")), withoutSeconds(tmp.resolve("parts/metrics.csv")));
        assertEquals(5, Files.readAllLines(tmp.resolve("parts/metrics.csv")).size(), "header and four rows, none repeated");
        var best1 = dev.nn4j.io.Safetensors.read(tmp.resolve("whole/models/best.safetensors"));
        var best2 = dev.nn4j.io.Safetensors.read(tmp.resolve("parts/models/best.safetensors"));
        assertEquals(best1.metadata().get("epoch"), best2.metadata().get("epoch"), "the same epoch was the best");
        best1.tensors().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), best2.tensor(k).toFloatArray(), "best model " + k));
    }

    @Test
    void aRunInterruptedInTheMiddleOfAnEpochResumesFromTheLastCompletedEpochExactly() {
        Run whole = new Run(tmp.resolve("whole"));
        History uninterrupted = whole.fit(EPOCHS);

        Callback ctrlC = new Callback() {
            @Override
            public void onBatchEnd(Trainer t, BatchProgress p) {
                if (p.epoch() == 3 && p.batch() == 2) t.requestStop("interrupted");
            }
        };
        Run first = new Run(tmp.resolve("parts"), ctrlC);
        assertEquals("interrupted", first.fit(EPOCHS).stopReason());
        assertEquals(2, Checkpoint.epoch(tmp.resolve("parts/checkpoints")), "the abandoned epoch 3 wrote nothing");

        Run second = new Run(tmp.resolve("parts"));
        second.trainer.callbacks(new Callback() {});   // stands in for ctrlC, which holds no state
        second.trainer.resumeFrom(tmp.resolve("parts/checkpoints"));
        History resumed = second.fit(EPOCHS);
        assertSameRun(whole, uninterrupted, second, resumed);
    }

    @Test
    void theCheckpointDirectoryHoldsOneEpochOfFilesCommittedByTheJson() throws Exception {
        Run run = new Run(tmp);
        run.fit(3);
        Path dir = tmp.resolve("checkpoints");
        String[] files = dir.toFile().list();
        Arrays.sort(files);
        assertArrayEquals(new String[] {"checkpoint.json", "model-e0003.safetensors", "optimizer-e0003.safetensors", "trainer-e0003.safetensors"}, files);
        String json = Files.readString(dir.resolve("checkpoint.json"));
        assertTrue(json.startsWith("{\"format\":\"nn4j-checkpoint-1\",\"epoch\":3,\"step\":12,\"generator_state\":" + run.gen.state() + ","), json);
        assertTrue(json.contains("\"history\":[{\"epoch\":1,\"train_loss\":"), json);
        var state = dev.nn4j.io.Safetensors.read(dir.resolve("trainer-e0003.safetensors")).tensors().keySet();
        assertTrue(state.containsAll(List.of("scheduler.last_epoch", "plateau.best", "callbacks.EarlyStopping.best", "callbacks.EarlyStopping.wait",
                "callbacks.EarlyStopping.weights.0.weight", "callbacks.ModelCheckpoint.best")), state.toString());
        assertEquals(run.model.stateDict().keySet(), dev.nn4j.io.Safetensors.read(dir.resolve("model-e0003.safetensors")).tensors().keySet());
    }

    @Test
    void resumingAFinishedRunTrainsNothingAndReturnsItsHistory() {
        Run first = new Run(tmp);
        History h1 = first.fit(2);
        Run second = new Run(tmp);
        second.trainer.resumeFrom(tmp.resolve("checkpoints"));
        History h2 = second.fit(2);
        assertEquals(h1.epochs().size(), h2.epochs().size());
        assertEquals(0, second.trainer.step() - first.trainer.step());
    }
}
