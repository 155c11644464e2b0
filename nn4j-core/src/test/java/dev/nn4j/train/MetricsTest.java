package dev.nn4j.train;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    // 4 examples, 3 classes
    private final Tensor scores = Tensor.fromArray(new float[] {
            0.1f, 0.7f, 0.2f,     // predicts 1; ranking 1 > 2 > 0
            0.5f, 0.2f, 0.3f,     // predicts 0; ranking 0 > 2 > 1
            0.3f, 0.3f, 0.4f,     // predicts 2; 0 and 1 tie below it
            0.9f, 0.05f, 0.05f},  // predicts 0; 1 and 2 tie below it
            4, 3);
    private final Tensor targets = Tensor.of(1, 2, 1, 2);

    @Test
    void predictionsAreTheRowArgmaxWithTheFirstMaximumOnTies() {
        assertArrayEquals(new int[] {1, 0, 2, 0}, Metrics.predictions(scores));
        assertArrayEquals(new int[] {0, 1}, Metrics.predictions(Tensor.fromArray(new float[] {2, 2, 1, 3}, 2, 2)));
    }

    @Test
    void accuracyCountsRowsWhoseTopClassIsTheTarget() {
        // row 0 hits (1 = 1); rows 1, 2, 3 miss  ⇒  1/4
        assertEquals(1, Metrics.correct(scores, targets));
        assertEquals(0.25, Metrics.accuracy(scores, targets));
    }

    @Test
    void topKAccuracyRanksTheTargetBreakingTiesTowardsTheLowerClass() {
        // target ranks: row0 t=1 rank 0; row1 t=2 rank 1 (0.5 above it); row2 t=1: 0.4 above it and class 0 ties at 0.3
        // with a lower index ⇒ rank 2; row3 t=2: 0.9 above, class 1 ties with a lower index ⇒ rank 2
        assertEquals(1, Metrics.topKCorrect(scores, targets, 1));
        assertEquals(2, Metrics.topKCorrect(scores, targets, 2));
        assertEquals(0.5, Metrics.topKAccuracy(scores, targets, 2));
        assertEquals(1.0, Metrics.topKAccuracy(scores, targets, 3));
        assertEquals(1.0, Metrics.topKAccuracy(scores, targets, 10), "k beyond the class count: every row counts");
    }

    @Test
    void aNaNScoreNeverCountsAsCorrect() {
        Tensor s = Tensor.fromArray(new float[] {Float.NaN, 0, 1, Float.NaN}, 2, 2);
        assertEquals(0, Metrics.topKCorrect(s, Tensor.of(0, 0), 1));   // row 0: target score NaN; row 1: a NaN outranks it
        assertEquals(1, Metrics.topKCorrect(s, Tensor.of(0, 0), 2));
    }

    @Test
    void emptyBatchHasNaNAccuracy() {
        assertTrue(Double.isNaN(Metrics.accuracy(Tensor.zeros(0, 3), Tensor.zeros(0))));
    }

    @Test
    void classificationBatchesAreRecognisedByShape() {
        assertTrue(Metrics.isClassification(Tensor.zeros(5, 3), Tensor.zeros(5)));
        assertFalse(Metrics.isClassification(Tensor.zeros(5, 1), Tensor.zeros(5)), "one output column is regression");
        assertFalse(Metrics.isClassification(Tensor.zeros(5, 3), Tensor.zeros(5, 3)), "probability targets");
        assertFalse(Metrics.isClassification(Tensor.zeros(5), Tensor.zeros(5)));
    }

    @Test
    void badTargetsAndShapesAreNamedInTheError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(scores, Tensor.of(1, 2, 3, 0)));
        assertEquals("topKCorrect: target 3.0 at row 2 is not a class index in [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(scores, Tensor.of(1, 2)));
        assertTrue(e.getMessage().contains("targets must have shape [4]") && e.getMessage().contains("[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(scores, Tensor.of(0.5f, 1, 1, 1)));
        assertTrue(e.getMessage().contains("0.5 at row 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.predictions(Tensor.zeros(3)));
        assertEquals("predictions: scores must have shape [N, C] but have shape [3]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.topKCorrect(scores, targets, 0));
    }
}
