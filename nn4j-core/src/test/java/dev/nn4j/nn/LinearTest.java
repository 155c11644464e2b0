package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearTest {
    @Test
    void defaultInitIsUniformWithinOneOverSqrtInFeatures() {
        // kaiming_uniform_(a=√5): gain = √(2/(1+5)), bound = √3 · gain / √in = 1/√in; the bias uses the same bound
        Linear l = new Linear(400, 300, true, new Generator(8));
        double bound = 1 / Math.sqrt(400);
        for (Tensor p : List.of(l.weight(), l.bias())) {
            float[] v = p.toFloatArray();
            double sum = 0, sq = 0, max = 0;
            for (float f : v) {
                sum += f;
                sq += f * f;
                max = Math.max(max, Math.abs(f));
            }
            double mean = sum / v.length, std = Math.sqrt(sq / v.length - mean * mean);
            assertTrue(max <= bound, "max " + max);
            assertTrue(max > 0.95 * bound, "max " + max + " should approach the bound");
            assertEquals(0, mean, 4 * bound / Math.sqrt(3 * v.length));
            if (v.length > 1000) assertEquals(bound / Math.sqrt(3), std, 0.01 * bound);
        }
    }

    @Test
    void initIsDeterministicForAGeneratorSeed() {
        Linear a = new Linear(6, 4, true, new Generator(3)), b = new Linear(6, 4, true, new Generator(3));
        Linear c = new Linear(6, 4, true, new Generator(4));
        assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
        assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
        assertFalse(java.util.Arrays.equals(a.weight().toFloatArray(), c.weight().toFloatArray()));
        Generator.manualSeed(77);
        Linear d = new Linear(6, 4);
        Generator.manualSeed(77);
        assertArrayEquals(d.weight().toFloatArray(), new Linear(6, 4).weight().toFloatArray());
    }

    @Test
    void parametersAreNamedAndShapedAsInPyTorch() {
        Linear l = new Linear(5, 3);
        assertEquals(List.of("weight", "bias"), new ArrayList<>(l.namedParameters().keySet()));
        assertArrayEquals(new int[] {3, 5}, l.weight().shape());
        assertArrayEquals(new int[] {3}, l.bias().shape());
        assertTrue(l.weight().requiresGrad() && l.weight().isLeaf());
        assertEquals(5, l.inFeatures());
        assertEquals(3, l.outFeatures());
        Linear noBias = new Linear(5, 3, false);
        assertNull(noBias.bias());
        assertFalse(noBias.hasBias());
        assertEquals(List.of("weight"), new ArrayList<>(noBias.stateDict().keySet()));
    }

    @Test
    void acceptsAnyLeadingShape() {
        Linear l = new Linear(4, 2, true, new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 3, 4);
        Tensor y = l.forward(x);
        assertArrayEquals(new int[] {2, 3, 2}, y.shape());
        // each row equals the rank-1 forward of that row
        Tensor row = l.forward(x.select(0, 1).select(0, 2));
        assertArrayEquals(new int[] {2}, row.shape());
        assertEquals(row.get(0), y.get(1, 2, 0), 1e-6);
        assertEquals(row.get(1), y.get(1, 2, 1), 1e-6);
        // a non-contiguous input gives the same result as its contiguous copy
        Tensor xt = Tensor.randn(new Generator(3), 4, 5).t();
        assertArrayEquals(l.forward(xt.contiguous()).toFloatArray(), l.forward(xt).toFloatArray(), 1e-6f);
    }

    @Test
    void wrongLastDimensionSuggestsFlatten() {
        Linear l = new Linear(784, 10);
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(32, 28, 28)));
        assertEquals("Linear expects last dimension 784 (inFeatures) but input shape is [32, 28, 28]; did you forget Flatten?", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(32, 100)));
        assertEquals("Linear expects last dimension 784 (inFeatures) but input shape is [32, 100]", e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.scalar(1f)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3));
    }

    @Test
    void functionalLinearChecksBiasShapeAndMatchesTheModule() {
        Linear l = new Linear(3, 2, true, new Generator(6));
        Tensor x = Tensor.randn(new Generator(7), 4, 3);
        assertArrayEquals(l.forward(x).toFloatArray(), Functional.linear(x, l.weight(), l.bias()).toFloatArray());
        // y = x Wᵀ with W = [[1, 2, 3]] and no bias: [1, 1, 1] · [1, 2, 3] = 6
        assertEquals(6f, Functional.linear(Tensor.ones(1, 3), Tensor.fromArray(new float[] {1, 2, 3}, 1, 3), null).item());
        var e = assertThrows(IllegalArgumentException.class, () -> Functional.linear(x, l.weight(), Tensor.zeros(3)));
        assertEquals("linear: bias must have shape [2] but has shape [3]", e.getMessage());
    }
}
