package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Upsample (nearest) against PyTorch (tools/goldens/layers_upsample.py), central differences and hand-computed cases. */
class UpsampleTest {
    private static void matchesPyTorch(Upsample m, String name) {
        Golden g = Golden.load("layers/upsample_" + name);
        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor out = m.forward(x);
        g.assertClose("out", out, 0, 0);
        out.backward(g.tensor("gout"));
        g.assertClose("grad_x", x.grad(), 1e-6, 1e-5);
        assertEquals(g.meta().get("repr").asText(), m.toString().replaceAll("  # [^\n]*", "").replaceAll("\nParameters: .*$", ""), name + ": repr");
    }

    @Test
    void integerScaleFactorsMatchPyTorch() {
        matchesPyTorch(new Upsample(2), "scale2_2d");
        matchesPyTorch(new Upsample(null, new int[] {2, 3}, "nearest"), "scale_per_dim_2d");
        matchesPyTorch(new Upsample(3), "scale3_1d");
    }

    @Test
    void targetSizesMatchPyTorchIncludingShrinking() {
        matchesPyTorch(new Upsample(new int[] {5, 7}, null, "nearest"), "size_2d");
        matchesPyTorch(new Upsample(new int[] {2, 7}, null, "nearest"), "size_shrink_2d");
        matchesPyTorch(new Upsample(new int[] {7}, null, "nearest"), "size_1d");
    }

    @Test
    void gradientsPassCentralDifferences() {
        ConvGoldens.gradCheck(new Upsample(null, new int[] {3, 2}, "nearest"), 1, 2, 2, 3);
        ConvGoldens.gradCheck(new Upsample(new int[] {5, 4}, null, "nearest"), 2, 1, 3, 3);
        ConvGoldens.gradCheck(new Upsample(2), 1, 2, 3);
    }

    @Test
    void handComputedNearestIndices() {
        // [1, 2] doubled: each value copied twice along both axes
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2).requiresGrad(true);
        Tensor y = new Upsample(2).forward(x);
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.toFloatArray());
        // y = Σ copies of x ⇒ d(Σy)/dx = number of copies = 4 per input cell
        y.sum().backward();
        assertArrayEquals(new float[] {4, 4, 4, 4}, x.grad().toFloatArray());
        // 3 → 5: src = ⌊d · 0.6⌋ = 0, 0, 1, 1, 2
        assertArrayEquals(new float[] {0, 0, 1, 1, 2}, Upsample.sourceIndex(3, 5));
        assertArrayEquals(new float[] {10, 10, 20, 20, 30},
                new Upsample(new int[] {5}, null, "nearest").forward(Tensor.fromArray(new float[] {10, 20, 30}, 1, 1, 3)).toFloatArray());
    }

    @Test
    void accessorsAndShapeErrors() {
        Upsample up = new Upsample(new int[] {4, 6}, null, "nearest");
        assertArrayEquals(new int[] {4, 6}, up.size());
        assertNull(up.scaleFactor());
        var rank = assertThrows(IllegalArgumentException.class, () -> new Upsample(2).forward(Tensor.zeros(4, 16)));
        assertEquals("Upsample expects input [N, C, L] or [N, C, H, W] but input shape is [4, 16]", rank.getMessage());
        var pair = assertThrows(IllegalArgumentException.class, () -> up.forward(Tensor.zeros(1, 2, 3)));
        assertEquals("Upsample expects input [N, C, L] or [N, C, H, W] (two sizes need [N, C, H, W]) but input shape is [1, 2, 3]", pair.getMessage());
        var both = assertThrows(IllegalArgumentException.class, () -> new Upsample(new int[] {2}, new int[] {2}, "nearest"));
        assertEquals("Upsample: give exactly one of size and scaleFactor but got size [2] and scaleFactor [2]", both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Upsample(0));
        var mode = assertThrows(IllegalArgumentException.class, () -> new Upsample(null, new int[] {2}, "bilinear"));
        assertEquals("Upsample: only mode \"nearest\" is supported but mode was \"bilinear\"", mode.getMessage());
    }
}
