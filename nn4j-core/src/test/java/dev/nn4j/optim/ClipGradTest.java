package dev.nn4j.optim;

import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipGradTest {
    private static final Golden G = Golden.load("optim/clip_grad");

    /** Two parameters whose gradients are the golden g1 [3, 4] and g2 [5], plus one without a gradient. */
    private static List<Tensor> params() {
        Tensor p1 = Tensor.zeros(3, 4).requiresGrad(true), p2 = Tensor.zeros(5).requiresGrad(true), p3 = Tensor.zeros(2).requiresGrad(true);
        p1.setGrad(G.tensor("g1"));
        p2.setGrad(G.tensor("g2"));
        return List.of(p1, p3, p2);
    }

    private static void assertNormClipMatchesPyTorch(String label, double maxNorm, double normType) {
        List<Tensor> ps = params();
        float total = ClipGrad.clipGradNorm(ps, maxNorm, normType);
        G.assertClose(label + ".total", Tensor.scalar(total), 0, 1e-6);
        G.assertClose(label + ".g1", ps.get(0).grad(), 1e-7, 1e-6);
        G.assertClose(label + ".g2", ps.get(2).grad(), 1e-7, 1e-6);
    }

    @Test
    void twoNormMatchesPyTorch() {
        assertNormClipMatchesPyTorch("l2", 1.0, 2);
    }

    @Test
    void oneNormMatchesPyTorch() {
        assertNormClipMatchesPyTorch("l1", 2.0, 1);
    }

    @Test
    void fractionalPNormMatchesPyTorch() {
        assertNormClipMatchesPyTorch("p3_5", 0.5, 3.5);
    }

    @Test
    void infinityNormMatchesPyTorch() {
        assertNormClipMatchesPyTorch("inf", 0.7, Double.POSITIVE_INFINITY);
    }

    @Test
    void normBelowTheLimitLeavesGradientsUnchanged() {
        assertNormClipMatchesPyTorch("l2_noclip", 100, 2);
        List<Tensor> ps = params();
        ClipGrad.clipGradNorm(ps, 100);
        Golden.assertClose(G.tensor("g1"), ps.get(0).grad(), 0, 0, "unclipped g1");
    }

    @Test
    void valueClippingMatchesPyTorch() {
        List<Tensor> ps = params();
        ClipGrad.clipGradValue(ps, 0.8);
        G.assertClose("value.g1", ps.get(0).grad(), 0, 0);
        G.assertClose("value.g2", ps.get(2).grad(), 0, 0);
    }

    @Test
    void noGradientsGiveZeroAndNonFiniteNormsCanBeAnError() {
        assertEquals(0f, ClipGrad.clipGradNorm(List.of(Tensor.zeros(2).requiresGrad(true)), 1.0));
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        p.setGrad(Tensor.of(Float.POSITIVE_INFINITY, 1f));
        var e = assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm(List.of(p), 1.0, 2, true));
        assertTrue(e.getMessage().contains("total norm of order 2.0 of the gradients is Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(p), 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(List.of(p), -1));
    }
}
