package dev.nn4j.tensor;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.autograd.NoGrad;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InferenceWeightTest {
    @Test
    void copiesTheValuesOntoA64ByteBoundaryAndIgnoresLaterChanges() {
        Tensor w = Tensor.randn(new Generator(1), 7, 13);
        float[] before = w.toFloatArray();
        InferenceWeight iw = InferenceWeight.copyOf(w);
        assertEquals(0, iw.aligned().address() % 64, "native copy's address");
        assertEquals(7 * 13 * Float.BYTES, iw.aligned().byteSize());
        assertArrayEquals(before, iw.aligned().toArray(ValueLayout.JAVA_FLOAT));
        w.array()[0] += 1f;
        assertArrayEquals(before, iw.toTensor().toFloatArray());
        assertArrayEquals(new int[] {7, 13}, iw.shape());
        assertArrayEquals(before, iw.aligned().toArray(ValueLayout.JAVA_FLOAT));
    }

    @Test
    void copiesAStridedView() {
        Tensor w = Tensor.randn(new Generator(2), 5, 6).t();
        assertArrayEquals(w.contiguous().toFloatArray(), InferenceWeight.copyOf(w).toTensor().toFloatArray());
    }

    /**
     * Rows 1 to 3 read the native copy, more rows the heap copy: each must give {@link Tensor#linear}'s bits, with and
     * without bias and ReLU, for the seed MLP's two layers and a shape with a scalar tail; also rows in the middle of
     * a tensor and a transposed input (the heap path).
     */
    @Test
    void linearGivesTheBitsOfTensorLinear() {
        Generator g = new Generator(3);
        for (int[] nk : new int[][] {{256, 784}, {10, 256}, {37, 790}}) {
            Tensor w = Tensor.randn(g, nk[0], nk[1]), bias = Tensor.randn(g, nk[0]);
            InferenceWeight iw = InferenceWeight.copyOf(w);
            for (int rows : new int[] {1, 2, 3, 4, 7, 64}) {
                Tensor x = Tensor.randn(g, rows, nk[1]);
                for (boolean relu : new boolean[] {false, true}) {
                    assertArrayEquals(x.linear(w, bias, relu).toFloatArray(), iw.linear(x, bias, relu).toFloatArray(), rows + " rows");
                    assertArrayEquals(x.linear(w, null, relu).toFloatArray(), iw.linear(x, null, relu).toFloatArray(), rows + " rows");
                }
            }
            Tensor rows = Tensor.randn(g, 4, nk[1]).narrow(0, 1, 2);
            assertArrayEquals(rows.linear(w, bias, true).toFloatArray(), iw.linear(rows, bias, true).toFloatArray(), "rows of a larger tensor");
            Tensor xt = Tensor.randn(g, nk[1], 2).t();
            assertArrayEquals(xt.linear(w, bias, false).toFloatArray(), iw.linear(xt, bias, false).toFloatArray(), "transposed input");
        }
    }

    @Test
    void gradientsReachTheInputAndBiasButNotTheWeight() {
        Generator g = new Generator(4);
        Tensor w = Tensor.randn(g, 3, 20).requiresGrad(true);  // a parameter: the copy must not lead back to it
        InferenceWeight iw = InferenceWeight.copyOf(w);
        Tensor x = Tensor.randn(g, 2, 20).requiresGrad(true), bias = Tensor.randn(g, 3).requiresGrad(true);
        GradCheck.defaults().assertClose(() -> iw.linear(x, bias, true), Map.of("input", x, "bias", bias));

        Tensor x1 = x.detach().requiresGrad(true), x2 = x.detach().requiresGrad(true), w2 = w.detach().requiresGrad(true);
        assertNull(w.grad());  // the finite-difference check's backward passes reached x and bias only
        Tensor gout = Tensor.randn(g, 2, 3);
        iw.linear(x1, null, false).backward(gout);
        x2.linear(w2, null, false).backward(gout);
        assertArrayEquals(x2.grad().toFloatArray(), x1.grad().toFloatArray(), "input gradient");
        assertNull(w.grad());
        assertNotNull(w2.grad());
        try (var _ = NoGrad.enter()) {
            assertFalse(iw.linear(x1, bias, false).requiresGrad());
        }
    }

    @Test
    void shapeErrorsNameBothShapes() {
        InferenceWeight iw = InferenceWeight.copyOf(Tensor.zeros(4, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> iw.linear(Tensor.zeros(2, 6), null, false));
        assertEquals("linear: input [2, 6] and weight [4, 5] do not fit: expected input [M, K] and weight [N, K]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> iw.linear(Tensor.zeros(2, 5), Tensor.zeros(3), false));
        assertEquals("linear: bias must have shape [4] but has shape [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InferenceWeight.copyOf(Tensor.zeros(4)));
        assertEquals("InferenceWeight: weight must have shape [out, in] but has shape [4]", e.getMessage());
    }
}
