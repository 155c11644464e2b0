package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SequencePool's two modes on hand-computed values, central differences, and its errors. */
class SequencePoolTest {
    // x[b, t, f] = 100·b + 10·t + f for B = 2, T = 3, F = 2
    private static Tensor sequence() {
        float[] v = new float[12];
        for (int b = 0; b < 2; b++) for (int t = 0; t < 3; t++) for (int f = 0; f < 2; f++) v[b * 6 + t * 2 + f] = 100 * b + 10 * t + f;
        return Tensor.fromArray(v, 2, 3, 2).requiresGrad(true);
    }

    @Test
    void lastKeepsTheFinalTimeStepAndRoutesTheGradientThere() {
        Tensor x = sequence();
        Tensor y = new SequencePool("last").forward(x);
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new float[] {20, 21, 120, 121}, y.toFloatArray());
        // y[b, f] = x[b, T−1, f] ⇒ dΣy/dx is 1 at t = T−1 and 0 elsewhere
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1}, x.grad().toFloatArray());
    }

    @Test
    void meanAveragesOverTimeAndSharesTheGradient() {
        Tensor x = sequence();
        Tensor y = new SequencePool("mean").forward(x);
        assertArrayEquals(new float[] {10, 11, 110, 111}, y.toFloatArray());
        // y[b, f] = (1/T) Σ_t x[b, t, f] ⇒ dΣy/dx = 1/T = 1/3 everywhere
        y.sum().backward();
        for (float g : x.grad().toFloatArray()) assertEquals(1f / 3, g, 1e-7f);
    }

    @Test
    void gradientsPassCentralDifferences() {
        ConvGoldens.gradCheck(new SequencePool("last"), 2, 4, 3);
        ConvGoldens.gradCheck(new SequencePool("mean"), 3, 5, 2);
    }

    @Test
    void errorsNameTheLayerAndTheShape() {
        var rank = assertThrows(IllegalArgumentException.class, () -> new SequencePool("last").forward(Tensor.zeros(4, 1, 28, 28)));
        assertEquals("SequencePool expects a batch-first sequence [B, T, F] but input shape is [4, 1, 28, 28]; flatten images to rows first with Flatten(1, 2)",
                rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SequencePool("mean").forward(Tensor.zeros(4, 28)));
        var mode = assertThrows(IllegalArgumentException.class, () -> new SequencePool("max"));
        assertEquals("SequencePool: mode must be \"last\" or \"mean\" but was \"max\"", mode.getMessage());
        assertEquals("SequencePool(mode=last)", new SequencePool("last").toString().replaceAll("  # [^\n]*", "").replaceAll("\nParameters: .*$", ""));
    }
}
