package dev.nn4j.nn;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {
    @Test
    void dropsAboutPAndScalesSurvivorsByOneOverOneMinusP() {
        int n = 200_000;
        double p = 0.3;
        Tensor y = new Dropout(p, new Generator(1)).forward(Tensor.ones(n));
        float[] v = y.toFloatArray();
        int zeros = 0;
        double sum = 0;
        for (float f : v) {
            if (f == 0f) zeros++;
            else assertEquals((float) (1 / (1 - p)), f);
            sum += f;
        }
        // binomial: std of the dropped fraction is √(p(1−p)/n) ≈ 0.001; allow 5 of them
        assertEquals(p, zeros / (double) n, 5 * Math.sqrt(p * (1 - p) / n));
        // inverted dropout keeps the mean: E[y] = 1
        assertEquals(1.0, sum / n, 0.01);
    }

    @Test
    void evalModeReturnsTheInput() {
        Dropout d = new Dropout(0.5);
        d.eval();
        Tensor x = Tensor.randn(new Generator(2), 3, 4);
        assertSame(x, d.forward(x));
        d.train();
        assertFalse(java.util.Arrays.equals(x.toFloatArray(), d.forward(x).toFloatArray()));
    }

    @Test
    void extremeProbabilities() {
        Tensor x = Tensor.randn(new Generator(3), 5, 5);
        assertSame(x, new Dropout(0).forward(x));
        assertArrayEquals(new float[25], new Dropout(1).forward(x).toFloatArray(), 0f); // delta 0 also accepts −0 (0 · negative x)
        var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertEquals("Dropout: probability has to be between 0 and 1, but got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }

    @Test
    void maskIsDeterministicForASeedAndUsesTheGlobalGeneratorByDefault() {
        Tensor x = Tensor.ones(50);
        assertArrayEquals(new Dropout(0.5, new Generator(9)).forward(x).toFloatArray(), new Dropout(0.5, new Generator(9)).forward(x).toFloatArray());
        Dropout global = new Dropout(0.5);
        Generator.manualSeed(123);
        float[] a = global.forward(x).toFloatArray();
        Generator.manualSeed(123);
        assertArrayEquals(a, global.forward(x).toFloatArray());
        assertArrayEquals(a, Functional.dropout(x, 0.5, true, new Generator(123)).toFloatArray());
    }

    @Test
    void gradientIsTheScaledMask() {
        // y = x ⊙ m / (1 − p) ⇒ dy/dx = m / (1 − p): the same mask as the forward pass
        Tensor x = Tensor.randn(new Generator(4), 4, 6).requiresGrad(true);
        Tensor y = Functional.dropout(x, 0.25, true, new Generator(5));
        y.sum().backward();
        float[] g = x.grad().toFloatArray(), out = y.toFloatArray(), in = x.toFloatArray();
        for (int i = 0; i < g.length; i++) {
            assertEquals(out[i] == 0f ? 0f : 1f / 0.75f, g[i], 1e-6);
            if (out[i] != 0f) assertEquals(in[i] / 0.75f, out[i], 1e-6);
        }
        // with a fresh generator of the same seed per call, the mask is fixed and central differences apply
        GradCheck.defaults().assertClose(() -> Functional.dropout(x, 0.25, true, new Generator(5)), Map.of("input", x));
        // p = 1: y = 0 · x ⇒ dy/dx = 0, and the output stays in the graph
        Tensor w = Tensor.randn(new Generator(6), 3).requiresGrad(true);
        Tensor z = new Dropout(1).forward(w);
        assertTrue(z.requiresGrad());
        z.sum().backward();
        assertArrayEquals(new float[3], w.grad().toFloatArray());
    }

    /**
     * Dropout is one primitive that draws its mask by index in the forward pass and again in the backward pass: values
     * and gradients must be the bits of multiplying by the mask of drawing each element in order, for a contiguous
     * input, a transposed view, and inputs large enough to be split over threads.
     */
    @Test
    void dropoutGivesTheBitsOfMultiplyingByTheDrawnMask() {
        for (int[] shape : new int[][] {{7, 9}, {300, 257}}) {
            Tensor base = Tensor.randn(new Generator(7), shape);
            for (Tensor view : new Tensor[] {base, base.transpose(0, 1)}) {
                Tensor x = view.detach().requiresGrad(true);
                Tensor y = Functional.dropout(x, 0.3, true, new Generator(11));
                Tensor gout = Tensor.randn(new Generator(12), y.shape());
                y.backward(gout);

                Generator draws = new Generator(11);
                float[] mask = new float[x.numel()];
                for (int i = 0; i < mask.length; i++) mask[i] = draws.nextDouble() >= 0.3 ? (float) (1 / 0.7) : 0f;
                Tensor m = Tensor.share(mask, y.shape());
                Tensor x2 = view.detach().requiresGrad(true);
                Tensor expected = x2.mul(m);
                expected.backward(gout);
                assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), "output " + java.util.Arrays.toString(view.shape()));
                assertArrayEquals(x2.grad().toFloatArray(), x.grad().toFloatArray(), "gradient " + java.util.Arrays.toString(view.shape()));
            }
        }
    }
}
