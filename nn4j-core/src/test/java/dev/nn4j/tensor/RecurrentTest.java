package dev.nn4j.tensor;

import dev.nn4j.autograd.NoGrad;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Recurrent#lstmCell} beyond its op-table entry: inference mode and shape errors. */
class RecurrentTest {
    @Test
    void lstmCellGivesTheSameValuesWithoutRecordingAndKeepsNoBackwardState() {
        Generator gen = new Generator(3);
        Tensor gates = Tensor.randn(gen, 4, 4 * 7).requiresGrad(true), c = Tensor.randn(gen, 4, 7);
        Tensor recorded = Recurrent.lstmCell(gates, c);
        assertTrue(recorded.requiresGrad());
        Tensor inference;
        try (var _ = NoGrad.enter()) {
            inference = Recurrent.lstmCell(gates, c);
        }
        assertFalse(inference.requiresGrad());
        assertNull(inference.gradFn());
        assertArrayEquals(recorded.toFloatArray(), inference.toFloatArray());
    }

    @Test
    void lstmCellNamesBothShapesWhenTheyDoNotFit() {
        var e = assertThrows(IllegalArgumentException.class, () -> Recurrent.lstmCell(Tensor.zeros(2, 12), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("[2, 12]") && e.getMessage().contains("[2, 4]"), e.getMessage());
    }
}
