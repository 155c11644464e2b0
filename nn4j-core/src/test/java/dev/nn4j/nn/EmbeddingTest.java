package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingTest {
    @Test
    void lookupAndGradientMatchPyTorchWithPaddingIdx() {
        Embedding emb = new Embedding(6, 3, 2, new Generator(1));
        Golden g = Golden.load("layers/norm_embedding");
        NormGolden.loadState(emb, g, "");
        NormGolden.checkRepr(emb, g);
        Tensor y = emb.forward(g.tensor("input"));
        Golden.assertClose(g.tensor("output"), y, NormGolden.ATOL, NormGolden.RTOL, "output");
        y.backward(g.tensor("upstream"));
        // index 0 appears twice (gradients add), index 2 is padding (no gradient), index 5's row gets one upstream row
        Golden.assertClose(g.tensor("grad.weight"), emb.weight().grad(), NormGolden.ATOL, NormGolden.RTOL, "grad.weight");
    }

    @Test
    void paddingRowStartsAtZeroAndGetsNoGradientEvenWhenNonZero() {
        Embedding emb = new Embedding(4, 2, -1, new Generator(2));
        assertEquals(3, emb.paddingIdx());
        assertArrayEquals(new float[] {0, 0}, emb.weight().select(0, 3).toFloatArray());
        emb.weight().set(5f, 3, 0);
        Tensor y = emb.forward(Tensor.of(3, 1));
        assertEquals(5f, y.get(0, 0));   // the padding row is returned as it is
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0}, emb.weight().grad().select(0, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, emb.weight().grad().select(0, 1).toFloatArray());
    }

    @Test
    void initIsStandardNormal() {
        float[] w = new Embedding(200, 50, null, new Generator(3)).weight().toFloatArray();
        double sum = 0, sq = 0;
        for (float v : w) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / w.length, std = Math.sqrt(sq / w.length - mean * mean);
        assertEquals(0, mean, 0.03);   // 4 standard errors of 1/√10000
        assertEquals(1, std, 0.03);
    }

    @Test
    void outputShapeAppendsEmbeddingDimAndStateDictIsWeight() {
        Embedding emb = new Embedding(5, 4);
        assertEquals(List.of("weight"), List.copyOf(emb.stateDict().keySet()));
        assertArrayEquals(new int[] {2, 3, 4}, emb.forward(Tensor.zeros(2, 3)).shape());
        assertArrayEquals(new int[] {4}, emb.forward(Tensor.scalar(4)).shape());
    }

    @Test
    void gradientPassesGradCheck() {
        // y = w[idx]² ⇒ dL/dw[r] = Σ over positions with idx = r of 2·w[r]·upstream; the padding row (2) is not looked
        // up here, since by design its analytic gradient is zero while its numeric one is not (see the padding test)
        Embedding emb = new Embedding(5, 3, 2, new Generator(4));
        Tensor idx = Tensor.of(0, 4, 1, 0, 3).reshape(5);
        GradCheck.defaults().assertClose(() -> emb.forward(idx).mul(emb.forward(idx)), Map.of("weight", emb.weight()));
    }

    @Test
    void badIndicesAndOptionsAreClearErrors() {
        Embedding emb = new Embedding(5, 2);
        for (float bad : new float[] {5, -1, 1.5f}) {
            var e = assertThrows(IndexOutOfBoundsException.class, () -> emb.forward(Tensor.of(0, bad)));
            assertTrue(e.getMessage().contains("Embedding") && e.getMessage().contains("[0, 5)") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, 5, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, -6, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 2));
    }
}
