package dev.nn4j.loss;

import dev.nn4j.autograd.Op;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CrossEntropyLoss} on {@code [N, C]} logits takes the fused op ({@code CrossEntropy.loss}); its loss and
 * gradient must be the bits of the composition it replaces (log-softmax, then {@link ClassTargets#nll}), so that no
 * recorded training run changes. The op table checks both against PyTorch.
 */
class CrossEntropyFusedTest {

    @Test
    void fusedLossAndGradientAreTheCompositionsBits() {
        Generator gen = new Generator(5);
        int[][] shapes = {{1, 1}, {1, 10}, {3, 2}, {64, 10}, {64, 17}, {7, 33}, {1000, 40}, {256, 10}};
        for (int[] s : shapes) {
            int N = s[0], C = s[1];
            for (float scale : new float[] {1f, 30f}) {
                Tensor logits = Tensor.randn(gen, N, C).mul(scale);
                float[] t = new float[N];
                for (int n = 0; n < N; n++) t[n] = gen.nextInt(C);
                Tensor target = Tensor.fromArray(t, N);
                for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
                    compare(logits, target, new CrossEntropyLoss().withReduction(r), 1f, N + "x" + C + " scale " + scale + " " + r);
                    compare(logits, target, new CrossEntropyLoss().withReduction(r), -2.5f, N + "x" + C + " upstream -2.5 " + r);
                    if (C > 1) compare(logits, target, new CrossEntropyLoss().withReduction(r).withIgnoreIndex(1), 1f,
                            N + "x" + C + " ignoring class 1 " + r);
                }
            }
        }
    }

    @Test
    void fusedLossIsNaNWhenEveryTargetIsIgnoredAsTheCompositionIs() {
        Tensor logits = Tensor.randn(new Generator(6), 4, 3);
        Tensor target = Tensor.of(2, 2, 2, 2);
        compare(logits, target, new CrossEntropyLoss().withIgnoreIndex(2), 1f, "all ignored");
        assertTrue(Float.isNaN(new CrossEntropyLoss().withIgnoreIndex(2).forward(logits, target).item()));
    }

    @Test
    void extremeLogitsGiveTheCompositionsBits() {
        Tensor logits = Tensor.fromArray(new float[] {1e30f, -1e30f, 0f, Float.NEGATIVE_INFINITY, 3f, 3f, 88f, -88f, 1e-30f}, 3, 3);
        compare(logits, Tensor.of(1, 0, 2), new CrossEntropyLoss(), 1f, "extreme logits");
    }

    @Test
    void crossEntropyLossRecordsTheFusedOpOnlyWhereItApplies() {
        Tensor logits = Tensor.randn(new Generator(7), 4, 5).requiresGrad(true);
        Tensor target = Tensor.of(0, 4, 2, 1);
        assertInstanceOf(Op.CrossEntropy.class, new CrossEntropyLoss().forward(logits, target).gradFn());
        assertFalse((new CrossEntropyLoss().withLabelSmoothing(0.1f).forward(logits, target).gradFn() instanceof Op.CrossEntropy));
        assertFalse((new CrossEntropyLoss().withWeight(Tensor.ones(5)).forward(logits, target).gradFn() instanceof Op.CrossEntropy));
        assertFalse((new CrossEntropyLoss().withReduction(Reduction.NONE).forward(logits, target).gradFn() instanceof Op.CrossEntropy));
    }

    /** The loss and {@code d loss / d logits} (for an upstream gradient {@code upstream}) of both paths, bit for bit. */
    private static void compare(Tensor values, Tensor target, CrossEntropyLoss loss, float upstream, String what) {
        Tensor fusedIn = Tensor.fromArray(values.toFloatArray(), values.shape()).requiresGrad(true);
        Tensor fused = loss.forward(fusedIn, target);
        assertInstanceOf(Op.CrossEntropy.class, fused.gradFn(), what + ": the fused op");
        fused.backward(Tensor.scalar(upstream));

        Tensor plainIn = Tensor.fromArray(values.toFloatArray(), values.shape()).requiresGrad(true);
        ClassTargets ct = ClassTargets.of("test", plainIn, target, null, loss.ignoreIndex(), "");
        Tensor plain = ct.nll(plainIn.logSoftmax(1), loss.reduction());
        plain.backward(Tensor.scalar(upstream));

        assertEquals(Float.floatToRawIntBits(plain.item()), Float.floatToRawIntBits(fused.item()),
                what + ": loss " + fused.item() + " against the composition's " + plain.item());
        assertArrayEquals(bits(plainIn.grad().toFloatArray()), bits(fusedIn.grad().toFloatArray()), what + ": gradient");
    }

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToRawIntBits(x[i]);
        return b;
    }
}
