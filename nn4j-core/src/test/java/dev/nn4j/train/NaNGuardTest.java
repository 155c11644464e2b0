package dev.nn4j.train;

import dev.nn4j.data.DataLoader;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.loss.Loss;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NaNGuardTest {
    @TempDir
    Path dir;

    private final Generator gen = new Generator(6);
    private final Module model = Fixtures.mlp(gen);
    private final CrossEntropyLoss ce = new CrossEntropyLoss();

    @Test
    void aNaNLossStopsTrainingNamingEpochAndBatchAndKeepsTheLastGoodCheckpoint() throws Exception {
        int[] calls = {0};
        // 40 examples in batches of 10: 4 batches per epoch; the 7th training loss (epoch 2, batch 3) is NaN
        Loss poisoned = (input, target) -> ++calls[0] == 7 ? ce.forward(input, target).mul(Float.NaN) : ce.forward(input, target);
        ModelCheckpoint models = new ModelCheckpoint(dir.resolve("models"));
        NaNGuard guard = new NaNGuard();
        Trainer trainer = new Trainer(model, poisoned, new Sgd(model.parameters(), 0.1), gen)
                .callbacks(models, guard).checkpointDir(dir.resolve("checkpoints"));
        History h = trainer.fit(Fixtures.shuffled(Fixtures.blobs(40, 1), 10, gen), null, 4);

        assertEquals("NaN/Inf guard: the training loss is NaN at epoch 2, batch 3 of 4; stopped, the checkpoints of epoch 1 are kept", h.stopReason());
        assertEquals(h.stopReason(), guard.tripped());
        assertEquals(1, h.epochs().size());
        assertEquals(7, calls[0], "no batch ran after the NaN");
        assertTrue(Float.isNaN(model.parameters().getFirst().array()[0]), "the NaN step did reach the weights");
        assertEquals(1, Checkpoint.epoch(dir.resolve("checkpoints")));
        var last = dev.nn4j.io.ModelFile.load(models.lastFile());
        assertEquals("1", last.metadata().get("epoch"));
        assertTrue(Trainer.allFinite(last.model().parameters()), "the saved model is the good one");

        // and the run resumes from that checkpoint with finite weights
        Module fresh = Fixtures.mlp(new Generator(6));
        Generator g2 = new Generator(6);
        new Trainer(fresh, ce, new Sgd(fresh.parameters(), 0.1), g2).callbacks(new ModelCheckpoint(dir.resolve("other")), new NaNGuard())
                .resumeFrom(dir.resolve("checkpoints")).fit(Fixtures.shuffled(Fixtures.blobs(40, 1), 10, g2), null, 1);
        assertTrue(Trainer.allFinite(fresh.parameters()));
    }

    @Test
    void aNaNValidationLossStopsAfterTheEpochWithoutOverwritingAnyFile() throws Exception {
        boolean[] poison = {false};
        Loss loss = (input, target) -> poison[0] && !model.isTraining() ? ce.forward(input, target).mul(Float.NaN) : ce.forward(input, target);
        Callback poisonEpoch2 = new Callback() {
            @Override
            public void onEpochBegin(Trainer t, int epoch) {
                poison[0] = epoch == 2;
            }
        };
        ModelCheckpoint models = new ModelCheckpoint(dir.resolve("models"), "val_loss", MonitorMode.MIN);
        // ModelCheckpoint runs before the guard here: its own check must keep the files of epoch 1
        Trainer trainer = new Trainer(model, loss, new Sgd(model.parameters(), 0.1), gen)
                .callbacks(poisonEpoch2, models, new NaNGuard()).checkpointDir(dir.resolve("checkpoints"));
        DataLoader train = Fixtures.shuffled(Fixtures.blobs(40, 1), 10, gen), val = new DataLoader(Fixtures.blobs(10, 2), 10);
        History h = trainer.fit(train, val, 4);

        assertEquals("NaN/Inf guard: val_loss is NaN at the end of epoch 2; stopped, the checkpoints of epoch 1 are kept", h.stopReason());
        assertEquals(2, h.epochs().size());
        assertEquals(1, Checkpoint.epoch(dir.resolve("checkpoints")), "the trainer skipped the non-finite epoch");
        assertEquals("1", dev.nn4j.io.Safetensors.read(models.lastFile()).metadata().get("epoch"));
        assertEquals(1, models.bestEpoch());
    }

    @Test
    void nonFiniteWeightsAtEpochEndAreNamed() {
        Trainer trainer = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen);
        NaNGuard guard = new NaNGuard();
        guard.onEpochEnd(trainer, 1, Map.of("train_loss", 0.3));
        assertNull(trainer.stopReason());
        model.namedParameters().get("3.bias").array()[1] = Float.NEGATIVE_INFINITY;
        guard.onEpochEnd(trainer, 3, Map.of("train_loss", 0.3));
        assertEquals("NaN/Inf guard: parameter 3.bias holds NaN or infinite values at the end of epoch 3; stopped, the checkpoints of epoch 2 are kept",
                trainer.stopReason());
    }

    @Test
    void aNaNInTheFirstEpochSaysThereIsNoCheckpoint() {
        Trainer trainer = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen);
        new NaNGuard().onBatchEnd(trainer, new BatchProgress(1, 5, 2, 4, 2, 10, Double.POSITIVE_INFINITY, 1, 0.5, 20, 1, 0.1));
        assertEquals("NaN/Inf guard: the training loss is Infinity at epoch 1, batch 2 of 4; stopped, no epoch completed, so there is no checkpoint",
                trainer.stopReason());
    }
}
