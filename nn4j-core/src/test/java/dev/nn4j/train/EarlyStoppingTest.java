package dev.nn4j.train;

import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {
    private final Generator gen = new Generator(1);
    private final Module model = Fixtures.mlp(gen);
    private final Trainer trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen);

    /** Feeds one value of {@code metric} per epoch; returns the epoch at which a stop was requested, or 0. */
    private int feed(EarlyStopping es, String metric, double... values) {
        for (int e = 0; e < values.length; e++) {
            es.onEpochEnd(trainer, e + 1, Map.of(metric, values[e]));
            if (trainer.stopReason() != null) return e + 1;
        }
        return 0;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        EarlyStopping es = new EarlyStopping("val_loss", MonitorMode.MIN, 2, 0, false);
        // best 1.0 (e1), 0.9 (e2); 0.95 and 0.91 do not beat 0.9 ⇒ wait 1, 2 ⇒ stop at epoch 4
        assertEquals(4, feed(es, "val_loss", 1.0, 0.9, 0.95, 0.91, 0.5));
        assertEquals("early stopping: val_loss has not improved on 0.9 (epoch 2) for 2 epochs", trainer.stopReason());
        assertEquals(0.9, es.best());
        assertEquals(2, es.bestEpoch());
        assertEquals(2, es.waited());
    }

    @Test
    void anImprovementResetsTheWait() {
        EarlyStopping es = new EarlyStopping("val_loss", MonitorMode.MIN, 2, 0, false);
        assertEquals(0, feed(es, "val_loss", 1.0, 1.1, 0.8, 0.85, 0.7, 0.75));
        assertEquals(5, es.bestEpoch());
        assertEquals(1, es.waited());
    }

    @Test
    void minDeltaIsTheSmallestChangeThatCounts() {
        EarlyStopping es = new EarlyStopping("val_loss", MonitorMode.MIN, 5, 0.05, false);
        // 0.96 is not below 1.0 − 0.05 ⇒ no improvement; 0.94 is ⇒ improvement
        feed(es, "val_loss", 1.0, 0.96, 0.94);
        assertEquals(3, es.bestEpoch());
        feed(es, "val_loss", 1.0, 0.96, 0.94, 0.9);   // 0.9 is not below 0.94 − 0.05 = 0.89
        assertEquals(3, es.bestEpoch());
    }

    @Test
    void autoModeMaximisesAccuraciesAndPatienceZeroStopsAtTheFirstMiss() {
        EarlyStopping es = new EarlyStopping("val_accuracy", 0);
        assertEquals(3, feed(es, "val_accuracy", 0.5, 0.6, 0.6));
        assertEquals(0.6, es.best());
        assertEquals(MonitorMode.MAX, MonitorMode.AUTO.resolve("val_accuracy"));
        assertEquals(MonitorMode.MIN, MonitorMode.AUTO.resolve("val_loss"));
        assertEquals(MonitorMode.MAX, MonitorMode.AUTO.resolve("macro_F1"));
        assertEquals(MonitorMode.MAX, MonitorMode.MAX.resolve("val_loss"), "an explicit mode stays");
    }

    @Test
    void aNaNMetricIsNeverAnImprovement() {
        EarlyStopping es = new EarlyStopping("val_loss", MonitorMode.MIN, 1, 0, false);
        assertEquals(2, feed(es, "val_loss", 0.5, Double.NaN));
        assertEquals(1, es.bestEpoch());
    }

    @Test
    void restoresTheBestEpochsWeightsWhenTrainingEnds() {
        EarlyStopping es = new EarlyStopping("val_loss", MonitorMode.MIN, 5, 0, true);
        Tensor w = model.parameters().getFirst();
        w.array()[0] = 1f;
        es.onEpochEnd(trainer, 1, Map.of("val_loss", 0.5));    // best: remembers w[0] = 1
        w.array()[0] = 2f;
        es.onEpochEnd(trainer, 2, Map.of("val_loss", 0.7));    // worse
        assertEquals(2f, w.array()[0]);
        es.onTrainEnd(trainer, trainer.history());
        assertEquals(1f, w.array()[0], "epoch 1's weights are back");
    }

    @Test
    void withoutRestoreTheFinalWeightsStay() {
        EarlyStopping es = new EarlyStopping("val_loss", MonitorMode.MIN, 5, 0, false);
        Tensor w = model.parameters().getFirst();
        w.array()[0] = 1f;
        es.onEpochEnd(trainer, 1, Map.of("val_loss", 0.5));
        w.array()[0] = 2f;
        es.onEpochEnd(trainer, 2, Map.of("val_loss", 0.7));
        es.onTrainEnd(trainer, trainer.history());
        assertEquals(2f, w.array()[0]);
    }

    @Test
    void stateDictRoundTripContinuesTheCountAndKeepsTheBestWeights() {
        EarlyStopping es = new EarlyStopping("val_loss", MonitorMode.MIN, 3, 0, true);
        feed(es, "val_loss", 0.5, 0.6, 0.7);
        Map<String, Tensor> state = es.stateDict();
        assertEquals((float) 0.5, state.get("best").item());
        assertEquals(2f, state.get("wait").item());
        assertTrue(state.containsKey("weights.0.weight"));

        EarlyStopping again = new EarlyStopping("val_loss", MonitorMode.MIN, 3, 0, true);
        again.loadStateDict(state);
        assertEquals(1, again.bestEpoch());
        again.onEpochEnd(trainer, 4, Map.of("val_loss", 0.8));   // third epoch without improvement
        assertTrue(trainer.stopReason().contains("for 3 epochs"), trainer.stopReason());
        assertArrayEquals(state.get("weights.0.weight").toFloatArray(), again.stateDict().get("weights.0.weight").toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> again.loadStateDict(Map.of("best", Tensor.scalar(1))));
        assertEquals("EarlyStopping.loadStateDict: missing key 'best_epoch'", e.getMessage());
    }

    @Test
    void stopsARealRunEarly() {
        // the learning rate never changes, so monitoring it (MIN, patience 1) stops after epoch 2
        History h = trainer.callbacks(new EarlyStopping("lr", MonitorMode.MIN, 1, 0, false))
                .fit(Fixtures.shuffled(Fixtures.blobs(30, 3), 10, gen), null, 10);
        assertEquals(2, h.epochs().size());
        assertTrue(h.stopped());
        assertEquals("early stopping: lr has not improved on 0.1 (epoch 1) for 1 epoch", h.stopReason());
    }

    @Test
    void badSettingsAndUnknownMetricsAreReported() {
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("", 1));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", -1));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", MonitorMode.MIN, 1, -0.1, false));
        EarlyStopping es = new EarlyStopping("val_los", 1);
        var e = assertThrows(IllegalArgumentException.class, () -> es.onEpochEnd(trainer, 1, Map.of("val_loss", 1.0)));
        assertEquals("EarlyStopping monitors 'val_los' but the epoch metrics are [val_loss]", e.getMessage());
        assertNull(trainer.stopReason());
    }
}
