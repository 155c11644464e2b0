package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupNormTest {
    @Test
    void matchesPyTorchOn3dInput() {
        GroupNorm gn = new GroupNorm(2, 4);
        Golden g = Golden.load("layers/norm_group_norm");
        NormGolden.loadState(gn, g, "");
        NormGolden.checkForwardBackward(gn, g);
    }

    @Test
    void matchesPyTorchOn4dInputWithEps() {
        GroupNorm gn = new GroupNorm(3, 6, 1e-3, true);
        Golden g = Golden.load("layers/norm_group_norm_2d");
        NormGolden.loadState(gn, g, "");
        NormGolden.checkForwardBackward(gn, g);
    }

    @Test
    void matchesPyTorchWithoutAffine() {
        GroupNorm gn = new GroupNorm(1, 3, 1e-5, false);
        assertTrue(gn.stateDict().isEmpty());
        NormGolden.checkForwardBackward(gn, Golden.load("layers/norm_group_norm_no_affine"));
    }

    @Test
    void parametersAreNamedAsInPyTorch() {
        assertEquals(List.of("weight", "bias"), List.copyOf(new GroupNorm(2, 6).stateDict().keySet()));
    }

    @Test
    void gradientsPassGradCheck() {
        GroupNorm gn = new GroupNorm(2, 4);
        Generator gen = new Generator(5);
        gn.weight().copyFrom(Tensor.randn(gen, 4));
        gn.bias().copyFrom(Tensor.randn(gen, 4));
        Tensor x = Tensor.randn(gen, 2, 4, 2).requiresGrad(true);
        GradCheck.defaults().assertClose(() -> gn.forward(x), Map.of("input", x, "weight", gn.weight(), "bias", gn.bias()));
    }

    @Test
    void badChannelsAreErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4).forward(Tensor.zeros(2, 3, 5)));
        assertTrue(e.getMessage().contains("GroupNorm") && e.getMessage().contains("[2, 3, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4).forward(Tensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
    }
}
