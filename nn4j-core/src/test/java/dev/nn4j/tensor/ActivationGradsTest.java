package dev.nn4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fused activation backward rules give the composite form's floats bit for bit, special values included. */
class ActivationGradsTest {

    @Test
    void reluGradEqualsGTimesMaskBitForBitIncludingSpecialValues() {
        // d relu(x)/dx = 1 where x > 0, else 0 (NaN counts as not positive) ⇒ dx = g · (x > 0)
        float[] xs = {-2f, -0f, 0f, 1e-40f, 3f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -1f, 2f};
        float[] gs = {1f, -1f, -2f, 5f, -0f, 7f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -3f};
        Tensor x = Tensor.fromArray(xs, 2, 5), g = Tensor.fromArray(gs, 2, 5);
        assertBits(g.mul(x.gt(0f)), ActivationGrads.relu(g, x));
        // strided operands: a transposed gradient and an input broadcast along a new leading dimension
        Tensor gt = Tensor.fromArray(gs, 5, 2).mT(), xb = Tensor.fromArray(new float[] {-1f, 2f, 0f, 4f, Float.NaN}).expand(2, 5);
        assertBits(gt.mul(xb.gt(0f)), ActivationGrads.relu(gt, xb));
    }

    @Test
    void reluGradRejectsMismatchedShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ActivationGrads.relu(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertEquals("relu backward: gradient shape [2, 3] does not match input shape [3, 2]", e.getMessage());
    }

    private static void assertBits(Tensor expected, Tensor actual) {
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), "element " + i + ": " + e[i] + " vs " + a[i]);
        }
    }
}
