package dev.nn4j.nn;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SinusoidalPositionalEncoding} and {@link LearnedPositionalEncoding}. */
class PositionalEncodingTest {
    @Test
    void sinusoidalTableFollowsTheAttentionIsAllYouNeedFormula() {
        SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(5, 4);
        Tensor table = pe.table();
        for (int t = 0; t < 4; t++) {
            for (int i = 0; i < 5; i++) {
                // pe[t, 2k] = sin(t / 10000^(2k/5)), pe[t, 2k+1] = cos(t / 10000^(2k/5)); odd dModel ends with a sine
                double angle = t / Math.pow(10000, 2 * (i / 2) / 5.0);
                assertEquals(i % 2 == 0 ? Math.sin(angle) : Math.cos(angle), table.get(t, i), 1e-6, "pe[" + t + ", " + i + "]");
            }
        }
        assertTrue(pe.stateDict().isEmpty(), "fixed table, no parameters or buffers");
    }

    @Test
    void sinusoidalEncodingAddsTheFirstTRowsToEachSequence() {
        SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(4, 10);
        Tensor x = Tensor.randn(new Generator(1), 2, 3, 4);
        Tensor expected = x.add(pe.table().narrow(0, 0, 3));
        assertArrayEquals(expected.toFloatArray(), pe.forward(x).toFloatArray());
        // the input gradient passes through unchanged: d(x + pe)/dx = 1
        Tensor leaf = x.requiresGrad(true);
        pe.forward(leaf).sum().backward();
        assertArrayEquals(Tensor.onesLike(x).toFloatArray(), leaf.grad().toFloatArray());
    }

    @Test
    void learnedEncodingHasAWeightParameterDrawnFromNormalWithStd002() {
        LearnedPositionalEncoding pe = new LearnedPositionalEncoding(28, 64, new Generator(3));
        assertEquals(List.of("weight"), List.copyOf(pe.stateDict().keySet()));
        assertArrayEquals(new int[] {28, 64}, pe.weight().shape());
        double std = pe.weight().std().item();
        assertTrue(std > 0.018 && std < 0.022, "std " + std);
        assertTrue(Math.abs(pe.weight().mean().item()) < 0.003);
    }

    @Test
    void learnedEncodingGradientsMatchCentralDifferencesForAShorterSequence() {
        LearnedPositionalEncoding pe = new LearnedPositionalEncoding(4, 3, new Generator(3));
        Tensor x = Tensor.randn(new Generator(4), 2, 3, 3).requiresGrad(true);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("input", x);
        inputs.put("weight", pe.weight());
        // y = x + w[:3]: dy/dx = 1, dy/dw[t] = Σ_b g[b, t] for t < 3, 0 for the unused row 3
        GradCheck.defaults().assertClose(() -> pe.forward(x).mul(x), inputs);
        pe.weight().zeroGrad();
        pe.forward(x).sum().backward();
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0}, pe.weight().grad().toFloatArray());
    }

    @Test
    void tooLongSequencesAndWrongWidthsGiveErrorsNamingTheShapes() {
        LearnedPositionalEncoding learned = new LearnedPositionalEncoding(3, 4, new Generator(1));
        String e = assertThrows(IllegalArgumentException.class, () -> learned.forward(Tensor.zeros(2, 5, 4))).getMessage();
        assertTrue(e.contains("sequence length 5") && e.contains("[2, 5, 4]") && e.contains("maxLen 3"), e);
        e = assertThrows(IllegalArgumentException.class, () -> new SinusoidalPositionalEncoding(4, 3).forward(Tensor.zeros(2, 3, 6))).getMessage();
        assertTrue(e.contains("dModel = 4") && e.contains("[2, 3, 6]"), e);
    }
}
