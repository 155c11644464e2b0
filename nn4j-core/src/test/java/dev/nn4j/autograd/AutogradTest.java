package dev.nn4j.autograd;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's contract: accumulation, no-grad scopes, detach, freed graphs, upstream gradients, deep and shared graphs. */
class AutogradTest {

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = Tensor.of(1, -2, 3).requiresGrad(true);
        // y = Σ x² ⇒ dy/dx = 2x, and a second backward adds another 2x
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {2, -4, 6}, x.grad().toFloatArray());
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {4, -8, 12}, x.grad().toFloatArray());
        x.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, x.grad().toFloatArray());
        // y = Σ 3x ⇒ dy/dx = 3, starting from zeros again
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3}, x.grad().toFloatArray());
        x.zeroGrad(true);
        assertNull(x.grad());
        // y = Σ -x ⇒ dy/dx = -1, starting from nothing
        x.neg().sum().backward();
        assertArrayEquals(new float[] {-1, -1, -1}, x.grad().toFloatArray());
    }

    @Test
    void gradientsAccumulateIntoAGradientSetAsAView() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        x.setGrad(Tensor.arange(6).reshape(3, 2).t());   // a transposed (non-contiguous) gradient
        // y = Σ x ⇒ dy/dx = 1, added to the existing gradient
        x.sum().backward();
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, x.grad().toFloatArray());
    }

    @Test
    void noGradScopesNestAndRecordNothing() {
        Tensor x = Tensor.of(1, 2).requiresGrad(true);
        assertTrue(NoGrad.gradEnabled());
        try (var outer = NoGrad.enter()) {
            try (var inner = NoGrad.enter()) {
                Tensor y = x.mul(2f);
                assertFalse(y.requiresGrad());
                assertNull(y.gradFn());
            }
            assertFalse(NoGrad.gradEnabled(), "still inside the outer scope");
            Tensor z = x.exp();
            assertFalse(z.requiresGrad());
            outer.close();
            outer.close(); // closing twice must not re-enable an enclosing scope twice
            assertTrue(NoGrad.gradEnabled());
        }
        assertTrue(NoGrad.gradEnabled());
        Tensor w = x.mul(2f);
        assertTrue(w.requiresGrad());
        assertNotNull(w.gradFn());
    }

    @Test
    void noGradIsPerThread() throws InterruptedException {
        AtomicBoolean otherThreadRecords = new AtomicBoolean();
        try (var _ = NoGrad.enter()) {
            Thread t = new Thread(() -> otherThreadRecords.set(Tensor.of(1).requiresGrad(true).mul(2f).requiresGrad()));
            t.start();
            t.join();
        }
        assertTrue(otherThreadRecords.get());
    }

    @Test
    void constantsComputedUnderNoGradCarryNoGradient() {
        Tensor x = Tensor.of(1, 2, 3).requiresGrad(true);
        Tensor c;
        try (var _ = NoGrad.enter()) {
            c = x.mul(2f);
        }
        // y = Σ x·c with c = 2x held constant ⇒ dy/dx = c = 2x (not 4x)
        x.mul(c).sum().backward();
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toFloatArray());
    }

    @Test
    void detachSharesStorageButCutsTheGraph() {
        Tensor x = Tensor.of(1, 2, 3).requiresGrad(true);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        x.set(10f, 0);
        assertEquals(10f, d.get(0), "detach shares storage");
        // y = Σ x·stop(x) ⇒ dy/dx = x (the detached factor is a constant)
        x.mul(x.detach()).sum().backward();
        assertArrayEquals(new float[] {10, 2, 3}, x.grad().toFloatArray());
        Tensor h = x.exp();
        assertThrows(IllegalStateException.class, () -> h.requiresGrad(false), "requiresGrad(false) is for leaves");
        assertFalse(h.detach().requiresGrad());
    }

    @Test
    void secondBackwardThroughAFreedGraphFailsClearly() {
        Tensor x = Tensor.of(1, 2).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retain"), e.getMessage());
        // a new output built on a freed intermediate fails the same way
        Tensor h = x.mul(3f);
        h.sum().backward();
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> h.mul(2f).sum().backward());
        assertTrue(e2.getMessage().contains("second time"), e2.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.of(0.5f, -1f).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward(Tensor.scalar(1f), true);
        y.backward(Tensor.scalar(1f), true);
        // y = Σ eˣ ⇒ dy/dx = eˣ, twice
        assertArrayEquals(new float[] {(float) (2 * Math.exp(0.5)), (float) (2 * Math.exp(-1))}, x.grad().toFloatArray(), 1e-6f);
        y.backward();
        assertThrows(IllegalStateException.class, y::backward, "without retainGraph the graph is freed");
    }

    @Test
    void backwardWithAnExplicitUpstreamGradient() {
        Tensor x = Tensor.of(1, 2, 3, 4).reshape(2, 2).requiresGrad(true);
        // y = 3x² (element-wise), upstream g ⇒ dL/dx = g · 6x
        Tensor y = x.mul(x).mul(3f);
        y.backward(Tensor.of(1, 0, -1, 2).reshape(2, 2));
        assertArrayEquals(new float[] {6, 0, -18, 48}, x.grad().toFloatArray());
    }

    @Test
    void backwardRejectsAWrongShapedGradientNamingBothShapes() {
        Tensor y = Tensor.of(1, 2, 3).requiresGrad(true).mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3, 1)));
        assertTrue(e.getMessage().contains("[3, 1]") && e.getMessage().contains("[3]") && e.getMessage().contains("backward"), e.getMessage());
    }

    @Test
    void backwardOfANonScalarNeedsAGradient() {
        Tensor y = Tensor.of(1, 2, 3).requiresGrad(true).mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("[3]"), e.getMessage());
        // a one-element tensor of any rank is fine
        Tensor x = Tensor.of(2).reshape(1, 1).requiresGrad(true);
        x.mul(x).backward();
        assertArrayEquals(new float[] {4}, x.grad().toFloatArray());
    }

    @Test
    void backwardOfATensorWithoutGraphFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.of(1, 2).sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void backwardOfALeafIsItsOwnGradient() {
        Tensor x = Tensor.of(1, 2).requiresGrad(true);
        x.backward(Tensor.of(5, 6));
        assertArrayEquals(new float[] {5, 6}, x.grad().toFloatArray());
    }

    /** Run on a thread with a small stack, so that a recursive graph walk would overflow. */
    @Test
    void aDeepChainDoesNotOverflowTheStack() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Float> grad = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = Tensor.scalar(0.5f).requiresGrad(true);
                Tensor y = x;
                for (int i = 0; i < 10_000; i++) y = y.add(x);
                // y = 10001·x ⇒ dy/dx = 10001
                y.backward();
                grad.set(x.grad().item());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("deep chain failed", failure.get());
        assertEquals(10_001f, grad.get());
    }

    @Test
    void aTensorUsedTwiceInOneOpGetsBothContributions() {
        Tensor x = Tensor.of(-1, 0.5f, 2).requiresGrad(true);
        // y = Σ (x·x + x) ⇒ dy/dx = 2x + 1
        x.mul(x).add(x).sum().backward();
        assertArrayEquals(new float[] {-1, 2, 5}, x.grad().toFloatArray());
    }

    @Test
    void aNonLeafUsedByTwoBranchesAccumulatesBeforePropagating() {
        float[] v = {-0.5f, 0.25f, 1f};
        Tensor x = Tensor.of(v).requiresGrad(true);
        Tensor h = x.exp();
        // y = Σ (sin h + h²), h = eˣ ⇒ dy/dx = (cos h + 2h)·h
        h.sin().add(h.mul(h)).sum().backward();
        assertNull(h.grad(), "non-leaves keep no gradient");
        for (int i = 0; i < v.length; i++) {
            double hv = Math.exp(v[i]);
            assertEquals((Math.cos(hv) + 2 * hv) * hv, x.grad().get(i), 1e-5);
        }
    }

    @Test
    void diamondGraphsAndViewsOfLeavesRouteGradientsToTheLeaf() {
        Tensor w = Tensor.of(1, 2, 3, 4, 5, 6).reshape(2, 3).requiresGrad(true);
        // y = Σ (wᵀ)² + Σ row 0 of wᵀ + Σ rows 1..2 of wᵀ = Σ w² + Σ w ⇒ dy/dw = 2w + 1
        Tensor wt = w.t();
        Tensor y = wt.mul(wt).sum().add(wt.select(0, 0).sum()).add(wt.narrow(0, 1, 2).sum());
        y.backward();
        assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13}, w.grad().toFloatArray());
        assertNull(wt.grad());
    }

    @Test
    void inputsThatDoNotRequireGradGetNoGradient() {
        Tensor a = Tensor.of(1, 2).requiresGrad(true);
        Tensor b = Tensor.of(3, 4);
        // y = Σ a·b ⇒ dy/da = b; b is a constant
        a.mul(b).sum().backward();
        assertArrayEquals(new float[] {3, 4}, a.grad().toFloatArray());
        assertNull(b.grad());
        assertTrue(a.isLeaf());
    }
}
