package dev.nn4j.nn.functional;

import dev.nn4j.nn.GELU;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FunctionalTest {
    @Test
    void activationsGiveHandComputedValuesAndSlopes() {
        Tensor x = Tensor.of(-2f, 3f).requiresGrad(true);
        // leaky ReLU with slope 0.1: y = [-0.2, 3], dy/dx = [0.1, 1]
        Tensor y = Functional.leakyRelu(x, 0.1f);
        assertArrayEquals(new float[] {-0.2f, 3f}, y.toFloatArray(), 1e-6f);
        y.sum().backward();
        assertArrayEquals(new float[] {0.1f, 1f}, x.grad().toFloatArray(), 1e-6f);
        // ELU with α = 0.5: y = [0.5(e⁻² − 1), 3], dy/dx = [0.5e⁻², 1]
        x.zeroGrad();
        Tensor e = Functional.elu(x, 0.5f);
        assertArrayEquals(new float[] {(float) (0.5 * (Math.exp(-2) - 1)), 3f}, e.toFloatArray(), 1e-6f);
        e.sum().backward();
        assertArrayEquals(new float[] {(float) (0.5 * Math.exp(-2)), 1f}, x.grad().toFloatArray(), 1e-6f);
        // softmax of equal scores is uniform; log-softmax is −log n
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, Functional.softmax(Tensor.ones(4), 0).toFloatArray(), 1e-6f);
        assertEquals((float) -Math.log(4), Functional.logSoftmax(Tensor.ones(4), -1).get(2), 1e-6f);
    }

    @Test
    void geluRejectsUnknownApproximations() {
        var e = assertThrows(IllegalArgumentException.class, () -> Functional.gelu(Tensor.ones(1), "erf"));
        assertEquals("gelu: approximate must be 'none' or 'tanh' but was 'erf'", e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
        assertEquals("GELU: approximate must be 'none' or 'tanh' but was 'fast'", m.getMessage());
    }

    @Test
    void dropoutOutsideTrainingIsTheIdentity() {
        Tensor x = Tensor.ones(3);
        assertSame(x, Functional.dropout(x, 0.9, false));
        var err = assertThrows(IllegalArgumentException.class, () -> Functional.dropout(x, 2, false));
        assertEquals("dropout: probability has to be between 0 and 1, but got 2.0", err.getMessage());
    }
}
