package dev.nn4j.nn;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceTest {
    /** The seed MLP (with a Dropout, which eval mode turns off); each test makes it twice: one to prepare, one to compare with. */
    private static Sequential seedMlp(long seed) {
        Generator g = new Generator(seed);
        Sequential model = new Sequential(new Flatten(), new Linear(784, 256, true, g), new ReLU(), new Dropout(0.2), new Linear(256, 10, true, g));
        model.eval();
        return model;
    }

    @Test
    void preparedModelGivesTheBitsOfTheModelForEveryBatchSize() {
        Sequential original = seedMlp(1);
        Module prepared = Inference.prepare(seedMlp(1));
        Generator g = new Generator(2);
        try (var _ = NoGrad.enter()) {
            for (int batch : new int[] {1, 2, 3, 4, 5, 6, 64, 256}) {
                Tensor x = Tensor.rand(g, batch, 1, 28, 28);
                assertArrayEquals(original.forward(x).toFloatArray(), prepared.forward(x).toFloatArray(), "batch " + batch);
            }
        }
    }

    @Test
    void replacesTheLinearLayersOfNestedSequentialsAndPutsTheModelInEvalMode() {
        Generator g = new Generator(3);
        Linear inner = new Linear(8, 6, true, g), outer = new Linear(6, 2, false, g);
        Sequential block = new Sequential(inner, new ReLU());
        Sequential model = new Sequential(block, outer);
        assertSame(model, Inference.prepare(model));
        assertFalse(model.isTraining());
        assertFalse(block.isTraining());
        InferenceLinear first = assertInstanceOf(InferenceLinear.class, block.get(0));
        InferenceLinear last = assertInstanceOf(InferenceLinear.class, model.get(1));
        assertEquals(List.of(), model.parameters());
        assertEquals(List.of("", "0", "0.0", "0.1", "1"), List.copyOf(model.namedModules().keySet()));
        assertEquals(8, first.inFeatures());
        assertEquals(6, first.outFeatures());
        assertArrayEquals(inner.weight().toFloatArray(), first.weight().toFloatArray());
        assertArrayEquals(inner.bias().toFloatArray(), first.bias().toFloatArray());
        assertNull(last.bias());
        assertTrue(model.toString().contains("InferenceLinear(in_features=8, out_features=6, bias=True)"), model.toString());
    }

    @Test
    void aPreparedLayerIsASnapshot() {
        Generator g = new Generator(4);
        Linear linear = new Linear(5, 3, true, g);
        Tensor x = Tensor.randn(g, 1, 5);
        float[] before;
        try (var _ = NoGrad.enter()) {
            before = linear.forward(x).toFloatArray();
        }
        Module prepared = Inference.prepare(linear);
        InferenceLinear layer = assertInstanceOf(InferenceLinear.class, prepared);
        linear.weight().array()[0] += 1f;
        layer.weight().array()[0] += 1f;  // a copy, too
        try (var _ = NoGrad.enter()) {
            assertArrayEquals(before, prepared.forward(x).toFloatArray());
        }
    }

    /** Inputs get gradients through a prepared model (explanations need them), the same bits as through the original. */
    @Test
    void gradientsReachTheInputWithTheBitsOfTheOriginal() {
        Sequential original = seedMlp(5);
        Module prepared = Inference.prepare(seedMlp(5));
        Generator g = new Generator(6);
        Tensor input = Tensor.rand(g, 1, 1, 28, 28), gout = Tensor.randn(g, 1, 10);
        Tensor a = input.detach().requiresGrad(true), b = input.detach().requiresGrad(true);
        original.forward(a).backward(gout);
        prepared.forward(b).backward(gout);
        assertArrayEquals(a.grad().toFloatArray(), b.grad().toFloatArray());
    }

    /** Linear layers in a module's own fields are left alone: its forward reads the fields, not the children. */
    @Test
    void leavesLinearLayersOutsideSequentialsAlone() {
        class Net extends Module {
            final Linear fc = registerModule("fc", new Linear(4, 2));

            @Override
            public Tensor forward(Tensor x) {
                return fc.forward(x);
            }
        }
        Net net = new Net();
        assertSame(net, Inference.prepare(net));
        assertSame(net.fc, net.namedModules().get("fc"));
        assertEquals(2, net.parameters().size());
    }

    @Test
    void wrongInputShapeGivesLinearsMessage() {
        Module prepared = Inference.prepare(new Linear(4, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> prepared.forward(Tensor.zeros(3, 5)));
        assertEquals("Linear expects last dimension 4 (inFeatures) but input shape is [3, 5]", e.getMessage());
    }
}
