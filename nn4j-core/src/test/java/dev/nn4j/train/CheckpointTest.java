package dev.nn4j.train;

import dev.nn4j.data.DataLoader;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.Sgd;
import dev.nn4j.optim.schedule.StepLR;
import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume checkpoints: what a crash leaves, what a mismatched trainer is told. */
class CheckpointTest {
    @TempDir
    Path dir;

    private Trainer trainer(Module model, Generator gen) {
        return new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen);
    }

    private DataLoader loader(Generator gen) {
        return Fixtures.shuffled(Fixtures.blobs(30, 1), 10, gen);
    }

    private void trainOneEpoch() {
        Generator gen = new Generator(1);
        trainer(Fixtures.mlp(gen), gen).checkpointDir(dir).fit(loader(gen), null, 1);
    }

    @Test
    void filesOfACheckpointThatWasNeverCommittedAreIgnoredThenRemoved() throws Exception {
        trainOneEpoch();
        // a crash while writing epoch 2: its tensors are there but checkpoint.json still names epoch 1
        Files.writeString(dir.resolve("model-e0002.safetensors"), "half written");
        assertTrue(Checkpoint.exists(dir));
        assertEquals(1, Checkpoint.epoch(dir));
        Generator gen = new Generator(1);
        History h = trainer(Fixtures.mlp(gen), gen).resumeFrom(dir).checkpointDir(dir).fit(loader(gen), null, 2);
        assertEquals(2, h.epochs().size());
        assertEquals(List.of("checkpoint.json", "model-e0002.safetensors", "optimizer-e0002.safetensors", "trainer-e0002.safetensors"),
                Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
    }

    @Test
    void aMissingCheckpointSaysWhichFileIsMissing() {
        Generator gen = new Generator(1);
        Trainer t = trainer(Fixtures.mlp(gen), gen).resumeFrom(dir.resolve("nowhere"));
        var e = assertThrows(IllegalArgumentException.class, () -> t.fit(loader(gen), null, 2));
        assertEquals("no checkpoint in " + dir.resolve("nowhere") + ": checkpoint.json is missing", e.getMessage());
        assertFalse(Checkpoint.exists(dir));
    }

    @Test
    void aDifferentArchitectureIsNamedInTheError() {
        trainOneEpoch();
        Generator gen = new Generator(1);
        Module other = new Linear(Fixtures.FEATURES, Fixtures.CLASSES, true, gen);
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(other, gen).resumeFrom(dir).fit(loader(gen), null, 2));
        assertTrue(e.getMessage().startsWith("checkpoint " + dir + " does not match this trainer: loadStateDict"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys"), e.getMessage());
    }

    @Test
    void scheduleAndCallbackStateMustMatchTheRunThatWroteIt() {
        Generator g0 = new Generator(1);
        Module m0 = Fixtures.mlp(g0);
        Optimizer o0 = new Sgd(m0.parameters(), 0.1);
        new Trainer(m0, new CrossEntropyLoss(), o0, g0).scheduler(new StepLR(o0, 1), Trainer.StepEvery.EPOCH)
                .callbacks(new EarlyStopping("train_loss", 3)).checkpointDir(dir).fit(loader(g0), null, 1);

        Generator gen = new Generator(1);
        var noScheduler = assertThrows(IllegalArgumentException.class, () -> trainer(Fixtures.mlp(gen), gen)
                .callbacks(new EarlyStopping("train_loss", 3)).resumeFrom(dir).fit(loader(gen), null, 2));
        assertEquals("checkpoint " + dir + " has state for an LrScheduler but the trainer has none; configure the trainer as the run that wrote it",
                noScheduler.getMessage());

        Module m = Fixtures.mlp(gen);
        Optimizer o = new Sgd(m.parameters(), 0.1);
        var noCallback = assertThrows(IllegalArgumentException.class, () -> new Trainer(m, new CrossEntropyLoss(), o, gen)
                .scheduler(new StepLR(o, 1), Trainer.StepEvery.EPOCH).resumeFrom(dir).fit(loader(gen), null, 2));
        assertEquals("checkpoint " + dir + " holds state of callback 'EarlyStopping' but the trainer's callbacks are []; "
                + "add the same callbacks as the run that wrote it", noCallback.getMessage());
    }

    @Test
    void aCorruptJsonIsReportedAsSuch() throws Exception {
        trainOneEpoch();
        Files.writeString(dir.resolve("checkpoint.json"), "{\"format\": \"nn4j-checkpoint-1\", \"epoch\": ");
        Generator gen = new Generator(1);
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(Fixtures.mlp(gen), gen).resumeFrom(dir).fit(loader(gen), null, 2));
        assertTrue(e.getMessage().startsWith("checkpoint " + dir.resolve("checkpoint.json") + " is not valid JSON"), e.getMessage());

        Files.writeString(dir.resolve("checkpoint.json"), "{\"format\": \"something-else\"}");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(dir, trainer(Fixtures.mlp(gen), gen)));
        assertEquals("checkpoint " + dir.resolve("checkpoint.json") + ": format is \"something-else\" but expected \"nn4j-checkpoint-1\"", e.getMessage());
    }

    @Test
    void nonFiniteHistoryValuesRoundTripAsNaN() {
        Generator gen = new Generator(1);
        Trainer t = trainer(Fixtures.mlp(gen), gen);
        t.restore(1, 3, List.of(new History.Epoch(1, Map.of("val_loss", Double.NaN))));
        Checkpoint.save(dir, t);
        Trainer back = trainer(Fixtures.mlp(new Generator(1)), new Generator(5));
        Checkpoint.load(dir, back);
        assertTrue(Double.isNaN(back.history().last().get("val_loss")));
        assertEquals(3, back.step());
        assertEquals(gen.state(), back.generator().state());
    }

    @Test
    void callbacksOfOneKindAreNumberedInOrder() {
        assertEquals(List.of("EarlyStopping", "NaNGuard", "EarlyStopping#2", "Callback"),
                Checkpoint.callbackNames(List.of(new EarlyStopping("a", 1), new NaNGuard(), new EarlyStopping("b", 1), new Callback() {})));
    }
}
