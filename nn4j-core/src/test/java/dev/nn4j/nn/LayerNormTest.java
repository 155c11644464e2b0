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

class LayerNormTest {
    @Test
    void matchesPyTorchOverTheLastDimension() {
        LayerNorm ln = new LayerNorm(4);
        Golden g = Golden.load("layers/norm_layer_norm");
        NormGolden.loadState(ln, g, "");
        NormGolden.checkForwardBackward(ln, g);
    }

    @Test
    void matchesPyTorchOverTheLastTwoDimensionsWithEps() {
        LayerNorm ln = new LayerNorm(new int[] {3, 4}, 1e-3, true);
        Golden g = Golden.load("layers/norm_layer_norm_2d");
        NormGolden.loadState(ln, g, "");
        NormGolden.checkForwardBackward(ln, g);
    }

    @Test
    void matchesPyTorchWithoutAffine() {
        LayerNorm ln = new LayerNorm(new int[] {5}, 1e-5, false);
        assertTrue(ln.stateDict().isEmpty());
        NormGolden.checkForwardBackward(ln, Golden.load("layers/norm_layer_norm_no_affine"));
    }

    @Test
    void parametersAreNamedAndInitialisedAsInPyTorch() {
        LayerNorm ln = new LayerNorm(new int[] {2, 3}, 1e-5, true);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, ln.weight().toFloatArray());
        assertArrayEquals(new int[] {2, 3}, ln.bias().shape());
        assertArrayEquals(new float[6], ln.bias().toFloatArray());
    }

    @Test
    void gradientsPassGradCheck() {
        LayerNorm ln = new LayerNorm(new int[] {3}, 1e-5, true);
        Generator gen = new Generator(4);
        ln.weight().copyFrom(Tensor.randn(gen, 3));
        ln.bias().copyFrom(Tensor.randn(gen, 3));
        Tensor x = Tensor.randn(gen, 2, 3).requiresGrad(true);
        GradCheck.defaults().assertClose(() -> ln.forward(x), Map.of("input", x, "weight", ln.weight(), "bias", ln.bias()));
    }

    @Test
    void wrongTrailingShapeIsAnErrorNamingTheShapes() {
        LayerNorm ln = new LayerNorm(new int[] {3, 4}, 1e-5, true);
        var e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 4, 3)));
        assertTrue(e.getMessage().contains("LayerNorm") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[2, 4, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(new int[] {0}, 1e-5, true));
    }
}
