package dev.nn4j.train;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusionMatrixTest {
    private static final double EPS = 1e-12;

    /**
     * 10 examples, 3 classes (rows actual, columns predicted):
     * <pre>
     *          p0 p1 p2
     *   a0  [  3  1  0 ]   support 4
     *   a1  [  1  2  1 ]   support 4
     *   a2  [  0  0  2 ]   support 2
     * predicted  4  3  3
     * </pre>
     */
    private static ConfusionMatrix example() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        int[][] pairs = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 0}, {1, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 2}};
        for (int[] p : pairs) m.add(p[0], p[1]);
        return m;
    }

    @Test
    void countsActualAgainstPredicted() {
        ConfusionMatrix m = example();
        assertArrayEquals(new long[] {3, 1, 0}, m.counts()[0]);
        assertArrayEquals(new long[] {1, 2, 1}, m.counts()[1]);
        assertArrayEquals(new long[] {0, 0, 2}, m.counts()[2]);
        assertEquals(10, m.total());
        assertEquals(4, m.support(1));
        assertEquals(3, m.predicted(2));
        assertEquals(0.7, m.accuracy(), EPS);   // (3 + 2 + 2) / 10
    }

    @Test
    void perClassPrecisionRecallAndF1ByHand() {
        ConfusionMatrix m = example();
        // class 0: P = 3/4, R = 3/4, F1 = 3/4
        assertEquals(0.75, m.precision(0), EPS);
        assertEquals(0.75, m.recall(0), EPS);
        assertEquals(0.75, m.f1(0), EPS);
        // class 1: P = 2/3, R = 2/4, F1 = 2·(2/3)(1/2)/(2/3 + 1/2) = (2/3)/(7/6) = 4/7
        assertEquals(2.0 / 3, m.precision(1), EPS);
        assertEquals(0.5, m.recall(1), EPS);
        assertEquals(4.0 / 7, m.f1(1), EPS);
        // class 2: P = 2/3, R = 2/2, F1 = 2·(2/3)/(5/3) = 4/5
        assertEquals(2.0 / 3, m.precision(2), EPS);
        assertEquals(1.0, m.recall(2), EPS);
        assertEquals(0.8, m.f1(2), EPS);
        // macro: means over the 3 classes
        assertEquals((0.75 + 2.0 / 3 + 2.0 / 3) / 3, m.macroPrecision(), EPS);
        assertEquals((0.75 + 0.5 + 1.0) / 3, m.macroRecall(), EPS);
        assertEquals((0.75 + 4.0 / 7 + 0.8) / 3, m.macroF1(), EPS);
    }

    @Test
    void classesNeverPredictedOrNeverPresentScoreZeroAndStillCountInTheMacroAverage() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(0, 0);
        m.add(1, 0);
        // class 0: P = 1/2, R = 1, F1 = 2/3; class 1: never predicted ⇒ P = 0, R = 0, F1 = 0; class 2: absent ⇒ all 0
        assertEquals(0, m.precision(1));
        assertEquals(0, m.recall(2));
        assertEquals(0, m.f1(2));
        assertEquals((2.0 / 3) / 3, m.macroF1(), EPS);
        assertTrue(Double.isNaN(new ConfusionMatrix(2).accuracy()));
    }

    @Test
    void batchesOfScoresAccumulate() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(Tensor.fromArray(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2), Tensor.of(0, 0));   // (0→0), (0→1)
        m.add(Tensor.fromArray(new float[] {0.3f, 0.7f}, 1, 2), Tensor.of(1));                    // (1→1)
        assertArrayEquals(new long[][] {{1, 1}, {0, 1}}, m.counts());
        assertArrayEquals(m.counts(), ConfusionMatrix.of(Tensor.fromArray(new float[] {0.9f, 0.1f, 0.2f, 0.8f, 0.3f, 0.7f}, 3, 2), Tensor.of(0, 0, 1)).counts());
    }

    @Test
    void perClassTableReadsLikeAClassificationReport() {
        String expected = """
                class      precision     recall   f1-score    support
                zero          0.7500     0.7500     0.7500          4
                one           0.6667     0.5000     0.5714          4
                two           0.6667     1.0000     0.8000          2
                accuracy                            0.7000         10
                macro avg     0.6944     0.7500     0.7071         10
                """;
        assertEquals(expected, example().table(List.of("zero", "one", "two")));
        assertTrue(example().table(List.of()).lines().skip(1).findFirst().orElseThrow().startsWith("0 "));
    }

    @Test
    void gridPrintsActualRowsAndPredictedColumns() {
        String expected = """
                actual \\ predicted  0  1  2
                0                   3  1  0
                1                   1  2  1
                2                   0  0  2
                """;
        assertEquals(expected, example().toString());
    }

    @Test
    void outOfRangeClassesAndMismatchedShapesAreRejected() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        var e = assertThrows(IllegalArgumentException.class, () -> m.add(2, 0));
        assertEquals("ConfusionMatrix.add: actual 2 and predicted 0 must be classes in [0, 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.add(Tensor.zeros(4, 3), Tensor.zeros(4)));
        assertEquals("ConfusionMatrix.add: scores must have shape [N, 2] but have shape [4, 3]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.table(List.of("only one")));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
    }
}
