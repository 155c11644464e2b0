package dev.nn4j.autograd;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine hands a leaf its first gradient without copying when the gradient is a temporary no other tensor
 * shares; these tests pin down that no gradient ever aliases another leaf's gradient or a caller's tensor, and that
 * a weight's gradient buffer, once zeroed in place, is reused by the next backward (its GEMM adds straight into it).
 */
class GradStorageTest {

    @Test
    void leavesSharingOneUpstreamGradientGetSeparateStorage() {
        // y = a + b ⇒ dy/da = dy/db = g: the engine passes the same tensor to both leaves
        Tensor a = Tensor.of(1, 2, 3).requiresGrad(true), b = Tensor.of(4, 5, 6).requiresGrad(true);
        a.mul(b).add(b.mul(a)).sum().backward();  // both products give the same-shaped gradients to a and b
        Tensor c = Tensor.of(1, 2, 3).requiresGrad(true), d = Tensor.of(4, 5, 6).requiresGrad(true);
        c.add(d).mul(2f).sum().backward();         // d(2(c+d))/dc = d(2(c+d))/dd = 2, one tensor for both
        assertNotSame(c.grad().array(), d.grad().array());
        c.grad().array()[0] = 100f;
        assertArrayEquals(new float[] {2, 2, 2}, d.grad().toFloatArray(), "d's gradient must not change with c's");
        assertArrayEquals(new float[] {8, 10, 12}, a.grad().toFloatArray());  // d(2ab)/da = 2b
        assertArrayEquals(new float[] {2, 4, 6}, b.grad().toFloatArray());    // d(2ab)/db = 2a
    }

    @Test
    void anExplicitUpstreamGradientIsNeverTakenOver() {
        // y = x (a leaf used as is, reshaped) ⇒ dx = the caller's gradient, which must be copied
        Tensor x = Tensor.of(1, 2, 3, 4).requiresGrad(true);
        Tensor upstream = Tensor.of(1, 1, 1, 1).mul(3f);  // an op result, as a caller's gradient usually is
        x.reshape(2, 2).backward(upstream.reshape(2, 2));
        upstream.array()[0] = -1f;
        assertArrayEquals(new float[] {3, 3, 3, 3}, x.grad().toFloatArray());
    }

    @Test
    void gradientsAccumulateOverTwoBackwardsOfALinearLayer() {
        // y = x Wᵀ + b, loss = Σy ⇒ dW[n,k] = Σ_m x[m,k], db[n] = M; twice ⇒ doubled
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor w = Tensor.zeros(2, 3).requiresGrad(true), bias = Tensor.zeros(2).requiresGrad(true);
        x.linear(w, bias).sum().backward();
        float[] first = w.grad().toFloatArray();
        x.linear(w, bias).sum().backward();
        assertArrayEquals(new float[] {5, 7, 9, 5, 7, 9}, first);
        assertArrayEquals(new float[] {10, 14, 18, 10, 14, 18}, w.grad().toFloatArray());
        assertArrayEquals(new float[] {4, 4}, bias.grad().toFloatArray());
    }

    @Test
    void zeroedWeightGradientIsReusedAndEqualsAFreshOneBitForBit() {
        // y = relu(x W1ᵀ + b1) W2ᵀ: large enough that dW1 = gᵀ x takes the packed GEMM with several K blocks
        Generator gen = new Generator(3);
        Tensor x = Tensor.randn(gen, 300, 70), w1 = Tensor.randn(gen, 40, 70).requiresGrad(true);
        Tensor w2 = Tensor.randn(gen, 5, 40).requiresGrad(true), b1 = Tensor.randn(gen, 40).requiresGrad(true);
        Runnable step = () -> x.linear(w1, b1).relu().matmul(w2.mT()).pow(2f).sum().backward();
        step.run();
        float[] buffer = w1.grad().array(), fresh = w1.grad().toFloatArray(), freshW2 = w2.grad().toFloatArray();
        float[] biasBuffer = b1.grad().array(), freshB1 = b1.grad().toFloatArray();
        w1.zeroGrad();
        w2.zeroGrad();
        b1.zeroGrad();
        step.run();
        assertSame(buffer, w1.grad().array(), "zeroGrad() keeps the array and backward writes into it");
        assertSame(biasBuffer, b1.grad().array());
        assertArrayEquals(fresh, w1.grad().toFloatArray());
        assertArrayEquals(freshW2, w2.grad().toFloatArray());
        assertArrayEquals(freshB1, b1.grad().toFloatArray());
        w1.zeroGrad(true);
        step.run();
        assertNotSame(buffer, w1.grad().array(), "zeroGrad(true) drops the array");
        assertArrayEquals(fresh, w1.grad().toFloatArray());
    }

    /**
     * zeroGrad() leaves the array to be overwritten by the next backward; a gradient that backward does not reach, or
     * that is read first, must still read as zeros, and a later backward then adds to those zeros.
     */
    @Test
    void aZeroedGradientReadsAsZerosUntilBackwardWritesIt() {
        Tensor w = Tensor.of(1, 2, 3).requiresGrad(true), unused = Tensor.of(4, 5).requiresGrad(true);
        w.mul(w).sum().backward();                                  // dw = 2w
        unused.mul(3f).sum().backward();                            // d(unused) = 3
        w.zeroGrad();
        unused.zeroGrad();
        w.mul(2f).sum().backward();                                 // reaches w only
        assertArrayEquals(new float[] {2, 2, 2}, w.grad().toFloatArray());
        assertArrayEquals(new float[] {0, 0}, unused.grad().toFloatArray());
        w.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, w.grad().toFloatArray(), "read before backward");
        w.mul(2f).sum().backward();
        w.mul(2f).sum().backward();
        assertArrayEquals(new float[] {4, 4, 4}, w.grad().toFloatArray(), "two backwards after zeroGrad add");
        w.zeroGrad();
        w.setGrad(Tensor.of(7, 8, 9));
        assertArrayEquals(new float[] {7, 8, 9}, w.grad().toFloatArray(), "setGrad replaces a zeroed gradient");
    }

    /** A zeroed gradient that a backward overwrites takes 0 + g, so −0 lands as +0 as with a cleared buffer. */
    @Test
    void aZeroedGradientTakesNegativeZeroAsPositiveZero() {
        Tensor x = Tensor.of(1f, -1f).requiresGrad(true);
        x.mul(0f).sum().backward();
        x.zeroGrad();
        x.mul(-0f).sum().backward();                                // d/dx = −0
        for (float v : x.grad().toFloatArray()) assertEquals(0, Float.floatToIntBits(v), "+0, not " + v);
    }

    @Test
    void aWeightUsedTwiceGetsBothContributions() {
        // y = x Wᵀ + (x Wᵀ)·W (W square): two uses of W, so no rule may write its share into W's buffer alone
        Generator gen = new Generator(4);
        Tensor x = Tensor.randn(gen, 3, 4), w = Tensor.randn(gen, 4, 4).requiresGrad(true);
        w.setGrad(Tensor.zeros(4, 4));
        GradCheck.defaults().assertClose(() -> x.linear(w, null).add(x.linear(w, null).matmul(w)), Map.of("w", w));
    }

    @Test
    void aGradientSharedByTwoInputsIsNotReusedWhileTheSecondStillNeedsIt() {
        // z = (exp(q) + 2(3p)) ⊙ w, loss = Σz ⇒ dp = 6w, dq = w ⊙ exp(q). The sum's rule hands one tensor (g ⊙ w) to
        // both addends; the p branch runs first and allocates arrays of the same size, which must not be that tensor's
        Tensor p = Tensor.of(1, 2, 3, 4, 5).requiresGrad(true), q = Tensor.of(0.5f, -1, 0, 2, 1).requiresGrad(true);
        Tensor w = Tensor.of(1, -2, 3, 0.5f, 7);
        q.exp().add(p.mul(3f).mul(2f)).mul(w).sum().backward();
        assertArrayEquals(w.mul(6f).toFloatArray(), p.grad().toFloatArray());
        assertArrayEquals(w.mul(q.detach().exp()).toFloatArray(), q.grad().toFloatArray());
    }

    @Test
    void storageSharedWithAViewIsNeverHandedBackForReuse() {
        Tensor t = Tensor.of(1, 2, 3, 4).mul(2f);  // a fresh op result: its storage is its own
        Tensor view = t.reshape(2, 2);
        assertFalse(t.release(), "a view shares the storage");
        assertArrayEquals(new float[] {2, 4, 6, 8}, view.toFloatArray());
        assertTrue(Tensor.of(1, 2).mul(2f).release(), "a result no one else reaches can be reused");
    }
}
