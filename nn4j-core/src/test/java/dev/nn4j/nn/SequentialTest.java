package dev.nn4j.nn;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequentialTest {
    @Test
    void addGetAndSizeWithPythonStyleNegativeIndices() {
        Linear a = new Linear(3, 4);
        ReLU r = new ReLU();
        Sequential s = new Sequential(a);
        assertSame(s, s.add(r));
        assertEquals(2, s.size());
        assertSame(a, s.get(0));
        assertSame(r, s.get(1));
        assertSame(r, s.get(-1));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
        assertEquals("Sequential.get: index 2 is out of range for 2 modules", e.getMessage());
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(s.namedParameters().keySet()));
    }

    @Test
    void setReplacesAModuleUnderItsName() {
        Linear a = new Linear(3, 4), c = new Linear(4, 2);
        ReLU r = new ReLU();
        Sequential s = new Sequential(a, r, c);
        Linear b = new Linear(3, 4);
        assertSame(a, s.set(0, b));
        Tanh t = new Tanh();
        assertSame(r, s.set(-2, t));
        assertSame(b, s.get(0));
        assertSame(t, s.get(1));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(s.namedParameters().keySet()));
        assertSame(b.weight(), s.namedParameters().get("0.weight"));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> s.set(3, new ReLU()));
        assertEquals("Sequential.get: index 3 is out of range for 3 modules", e.getMessage());
        var cycle = assertThrows(IllegalArgumentException.class, () -> s.set(0, new Sequential(s)));
        assertEquals("replaceModule: '0' contains this Sequential; a module cannot be its own descendant", cycle.getMessage());
        assertSame(b, s.get(0));
    }

    /**
     * Under NoGrad, an activation between two layers is recycled once the second has run; what the caller gives and
     * gets, what a module of its own keeps, and what a layer passes on unchanged (Dropout in eval mode) must stay
     * intact. Every activation has the same size, so that recycling a live one would let a later output overwrite it
     * within the same call; the input is an op's result, whose storage could be recycled.
     */
    @Test
    void recyclingUnderNoGradKeepsWhatOthersHold() {
        class Keep extends Module {
            final List<Tensor> kept = new ArrayList<>();

            @Override
            public Tensor forward(Tensor x) {
                kept.add(x);
                return x;
            }
        }
        Generator g = new Generator(31);
        Linear first = new Linear(16, 16, true, g), second = new Linear(16, 16, true, g), third = new Linear(16, 16, true, g);
        Keep keep = new Keep();
        Sequential model = new Sequential(new Dropout(0.5), first, new ReLU(), keep, second, new Dropout(0.5), third, new Flatten(), third);
        model.eval();
        Tensor x = Tensor.randn(g, 5, 16).mul(1f);
        float[] input = x.toFloatArray();
        try (var _ = NoGrad.enter()) {
            Tensor expectedKept = first.forward(x).relu();
            Tensor expected = third.forward(third.forward(second.forward(expectedKept)));
            Tensor out1 = model.forward(x);
            float[] out1Values = out1.toFloatArray();
            Tensor out2 = model.forward(x);
            Tensor out3 = model.forward(x);
            assertArrayEquals(expected.toFloatArray(), out1Values);
            assertArrayEquals(out1Values, out1.toFloatArray(), "the first output after two more calls");
            assertArrayEquals(out1Values, out2.toFloatArray());
            assertArrayEquals(out1Values, out3.toFloatArray());
            assertArrayEquals(input, x.toFloatArray(), "the input");
            for (Tensor k : keep.kept) assertArrayEquals(expectedKept.toFloatArray(), k.toFloatArray(), "kept activation");
        }
    }

    /**
     * With a graph, an activation between two layers is recycled only when a backward pass through it frees the graph.
     * A graph kept with {@code retainGraph} must give the same gradients on its second backward pass, after another
     * forward pass (whose outputs have the activations' size) has run in between; and a freed one must give the next
     * step the same gradients as a fresh model would.
     */
    @Test
    void activationsAreRecycledOnlyAfterABackwardPassThatFreesTheGraph() {
        Generator g = new Generator(37);
        Linear a = new Linear(12, 12, true, g), b = new Linear(12, 12, true, g), c = new Linear(12, 12, true, g);
        Sequential model = new Sequential(a, new ReLU(), b, new ReLU(), c);
        Tensor x = Tensor.randn(g, 6, 12), other = Tensor.randn(g, 6, 12);
        Tensor out = model.forward(x);
        out.sum().backward(null, true);
        List<float[]> first = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            first.add(p.grad().toFloatArray());
            p.zeroGrad();
        }
        model.forward(other).sum().backward();  // frees its own graph: its activations go to the buffer cache
        model.forward(other);                   // takes them again
        for (Tensor p : model.parameters()) p.zeroGrad();
        out.sum().backward();
        int i = 0;
        for (var e : model.namedParameters().entrySet()) assertArrayEquals(first.get(i++), e.getValue().grad().toFloatArray(), e.getKey());
    }

    /**
     * The same in a thread of its own, whose buffer cache starts empty: an op output then takes the array released
     * just before it, so a temporary released while still in use (the fused ReLU's gradient before the products that
     * read it) would be overwritten by the product it feeds. Square layers make every activation and gradient the same size.
     */
    @Test
    void squareLayersInAFreshThreadGiveTheBitsOfTheModulesInTurn() throws InterruptedException {
        Generator g = new Generator(41);
        Linear a = new Linear(12, 12, true, g), b = new Linear(12, 12, true, g), c = new Linear(12, 12, true, g);
        ReLU relu = new ReLU();
        Sequential model = new Sequential(a, relu, b, relu, c);
        Tensor input = Tensor.randn(g, 6, 12);
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                assertFusedGivesTheBitsInTurn(model, input, x -> c.forward(relu.forward(b.forward(relu.forward(a.forward(x))))), g);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] instanceof AssertionError e) throw e;
        if (failure[0] != null) throw new AssertionError(failure[0]);
    }

    /**
     * A Conv2d followed by a ReLU, a MaxPool2d or both runs fused ({@link Conv2d#forwardFused}); values and every
     * gradient must be the bits of the modules one after the other: one group (the fused kernel) with ReLU and pooling,
     * two groups with a ReLU, one group with pooling alone, batched and unbatched.
     */
    @Test
    void convolutionFollowedByReluAndPoolingGivesTheBitsOfTheModulesInTurn() {
        Generator g = new Generator(9);
        Conv2d one = new Conv2d(3, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, g);
        Conv2d two = new Conv2d(4, 6, new int[] {2, 2}, new int[] {2, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true, g);
        Conv2d three = new Conv2d(6, 5, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true, g);
        MaxPool2d pool = new MaxPool2d(2);
        Sequential model = new Sequential(one, new ReLU(), pool, two, new ReLU(), three, pool);
        for (Tensor input : new Tensor[] {Tensor.randn(g, 5, 3, 8, 7), Tensor.randn(g, 3, 8, 7)}) {
            assertFusedGivesTheBitsInTurn(model, input, x -> pool.forward(three.forward(two.forward(pool.forward(one.forward(x).relu())).relu())), g);
        }
    }

    /**
     * A Linear followed by a ReLU runs fused ({@link Linear#forwardFused}); values and every gradient must be the bits
     * of the modules one after the other: with and without a bias, a Linear with no ReLU after it, a rank-3 input, and
     * sizes that take the packed GEMM as well as the small products' loops. Inputs include exact zeros, so that some
     * pre-activations are exactly 0 (no bias) and the ReLU's gradient there is checked too.
     */
    @Test
    void linearFollowedByReluGivesTheBitsOfTheModulesInTurn() {
        Generator g = new Generator(21);
        Linear one = new Linear(40, 70, true, g), two = new Linear(70, 33, false, g), three = new Linear(33, 5, true, g);
        ReLU relu = new ReLU();
        Sequential model = new Sequential(one, relu, two, relu, three);
        for (int[] shape : new int[][] {{64, 40}, {3, 40}, {2, 9, 40}}) {
            Tensor input = Tensor.randn(g, shape).relu();  // about half the inputs exactly 0
            assertFusedGivesTheBitsInTurn(model, input, x -> three.forward(relu.forward(two.forward(relu.forward(one.forward(x))))), g);
        }
    }

    /**
     * {@code model.forward(input)} (with its fusions) against {@code inTurn}, the same modules called one by one: the
     * output, the input's gradient and every parameter's gradient for one random upstream gradient, bit for bit.
     */
    private static void assertFusedGivesTheBitsInTurn(Sequential model, Tensor input, UnaryOperator<Tensor> inTurn, Generator g) {
        Tensor x = input.detach().requiresGrad(true);
        Tensor fused = model.forward(x);
        Tensor gout = Tensor.randn(g, fused.shape());
        fused.backward(gout);
        List<float[]> fusedGrads = new ArrayList<>();
        fusedGrads.add(x.grad().toFloatArray());
        for (Tensor p : model.parameters()) {
            fusedGrads.add(p.grad().toFloatArray());
            p.zeroGrad();
        }
        Tensor x2 = input.detach().requiresGrad(true);
        Tensor unfused = inTurn.apply(x2);
        unfused.backward(gout);
        assertArrayEquals(unfused.toFloatArray(), fused.toFloatArray(), "output");
        assertArrayEquals(x2.grad().toFloatArray(), fusedGrads.get(0), "input gradient");
        int i = 1;
        for (var e : model.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().grad().toFloatArray(), fusedGrads.get(i++), e.getKey() + " gradient");
            e.getValue().zeroGrad();
        }
    }

    @Test
    void appliesModulesInOrder() {
        Generator g = new Generator(4);
        Linear l = new Linear(3, 2, true, g);
        Tensor x = Tensor.randn(g, 5, 3);
        Tensor expected = l.forward(x).sigmoid();
        assertArrayEquals(expected.toFloatArray(), new Sequential(l, new Sigmoid()).forward(x).toFloatArray());
    }

    @Test
    void emptySequentialIsIdentity() {
        Tensor x = Tensor.of(1f, 2f);
        assertSame(x, new Sequential().forward(x));
        assertEquals("Sequential()", new Sequential().toString());
    }
}
