package dev.nn4j.train;

import dev.nn4j.io.ModelFile;
import dev.nn4j.io.Safetensors;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void savesTheLastEpochAndTheBestByTheMonitoredMetricAsLoadableModelFiles() {
        Generator gen = new Generator(8);
        Module model = Fixtures.mlp(gen);
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("models"), "val_loss", MonitorMode.AUTO);
        Map<Integer, Map<String, float[]>> snapshots = new HashMap<>();
        Callback snapshot = new Callback() {
            @Override
            public void onEpochEnd(Trainer t, int epoch, Map<String, Double> m) {
                snapshots.put(epoch, Fixtures.weights(t.model()));
            }
        };
        History h = new Trainer(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.05), gen).callbacks(checkpoint, snapshot)
                .fit(Fixtures.shuffled(Fixtures.blobs(45, 1), 15, gen), new dev.nn4j.data.DataLoader(Fixtures.blobs(15, 2), 15), 4);

        int best = 1;
        for (History.Epoch e : h.epochs()) if (e.get(Trainer.VAL_LOSS) < h.epochs().get(best - 1).get(Trainer.VAL_LOSS)) best = e.epoch();
        assertEquals(best, checkpoint.bestEpoch());
        assertEquals(h.epochs().get(best - 1).get(Trainer.VAL_LOSS), checkpoint.best());

        ModelFile.Loaded last = ModelFile.load(checkpoint.lastFile());
        assertEquals("4", last.metadata().get("epoch"));
        assertEquals(Float.toString((float) h.last().get(Trainer.VAL_LOSS)), last.metadata().get("val_loss"));
        last.model().stateDict().forEach((k, v) -> assertArrayEquals(snapshots.get(4).get(k), v.toFloatArray(), k));

        ModelFile.Loaded bestFile = ModelFile.load(checkpoint.bestFile());
        assertEquals(Integer.toString(best), bestFile.metadata().get("epoch"));
        assertEquals("val_loss", bestFile.metadata().get("monitor"));
        int b = best;
        bestFile.model().stateDict().forEach((k, v) -> assertArrayEquals(snapshots.get(b).get(k), v.toFloatArray(), k));
        String[] files = dir.resolve("models").toFile().list();
        java.util.Arrays.sort(files);
        assertArrayEquals(new String[] {"best.safetensors", "last.safetensors"}, files, "no temporary files left");
    }

    @Test
    void anEpochWithNonFiniteMetricsOrWeightsLeavesTheFilesAsTheyWere() throws Exception {
        Generator gen = new Generator(8);
        Module model = Fixtures.mlp(gen);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen);
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir, "val_loss", MonitorMode.MIN);
        checkpoint.onTrainBegin(trainer);
        checkpoint.onEpochEnd(trainer, 1, Map.of("val_loss", 0.5));
        byte[] last = Files.readAllBytes(checkpoint.lastFile()), best = Files.readAllBytes(checkpoint.bestFile());

        checkpoint.onEpochEnd(trainer, 2, Map.of("val_loss", Double.NaN));
        model.parameters().getFirst().array()[3] = Float.POSITIVE_INFINITY;
        checkpoint.onEpochEnd(trainer, 3, Map.of("val_loss", 0.1));

        assertArrayEquals(last, Files.readAllBytes(checkpoint.lastFile()));
        assertArrayEquals(best, Files.readAllBytes(checkpoint.bestFile()));
        assertEquals(1, checkpoint.bestEpoch());
    }

    @Test
    void withoutAMonitorOnlyTheLastModelIsKept() {
        Generator gen = new Generator(8);
        Module model = Fixtures.mlp(gen);
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir);
        new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen).callbacks(checkpoint)
                .fit(Fixtures.shuffled(Fixtures.blobs(30, 1), 10, gen), null, 2);
        assertTrue(Files.exists(checkpoint.lastFile()));
        assertFalse(Files.exists(checkpoint.bestFile()));
    }

    /** A module ModelSpec cannot describe. */
    static final class Custom extends Module {
        final Linear fc = registerModule("fc", new Linear(Fixtures.FEATURES, Fixtures.CLASSES, true, new Generator(0)));

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(x).tanh();
        }
    }

    @Test
    void aModelWithoutASpecIsSavedAsAPlainStateDict() {
        Module model = new Custom();
        Generator gen = new Generator(1);
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir);
        new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen).callbacks(checkpoint)
                .fit(Fixtures.shuffled(Fixtures.blobs(30, 1), 10, gen), null, 1);
        var file = Safetensors.read(checkpoint.lastFile());
        assertEquals(model.stateDict().keySet(), file.tensors().keySet());
        assertEquals("1", file.metadata().get("epoch"));
        assertFalse(file.metadata().containsKey(ModelFile.SPEC_KEY));
    }

    @Test
    void stateDictRoundTripAndErrors() {
        ModelCheckpoint a = new ModelCheckpoint(dir, "val_accuracy", MonitorMode.AUTO);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("best", Tensor.scalar(0.75f));
        state.put("best_epoch", Tensor.scalar(3));
        a.loadStateDict(state);
        assertEquals(0.75, a.best());
        assertEquals(3, a.bestEpoch());
        assertEquals(Map.of("best", 0.75f, "best_epoch", 3f), Map.of("best", a.stateDict().get("best").item(), "best_epoch", a.stateDict().get("best_epoch").item()));
        assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(Map.of("best", Tensor.scalar(1))));
        assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(null));
    }
}
