package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    /** A module with its own parameter, a buffer and children, to exercise ordering and naming. */
    static final class Block extends Module {
        final Tensor scale = registerParameter("scale", Tensor.ones(3));
        final Tensor runningMean = registerBuffer("running_mean", Tensor.zeros(3));
        final Linear fc1 = registerModule("fc1", new Linear(4, 3, true, new Generator(1)));
        final Sequential body = registerModule("body", new Sequential(new ReLU(), new Linear(3, 3, false, new Generator(2)), new Dropout(0.5)));

        @Override
        public Tensor forward(Tensor x) {
            return body.forward(fc1.forward(x)).mul(scale).sub(runningMean);
        }
    }

    static Sequential mlp(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(784, 256, true, g), new ReLU(), new Dropout(0.2), new Linear(256, 10, true, g));
    }

    @Test
    void namesFollowPyTorchInRegistrationOrder() {
        Block b = new Block();
        assertEquals(List.of("scale", "fc1.weight", "fc1.bias", "body.1.weight"), new ArrayList<>(b.namedParameters().keySet()));
        assertEquals(List.of("running_mean"), new ArrayList<>(b.namedBuffers().keySet()));
        // PyTorch's state_dict order: own parameters, own buffers, then each child
        assertEquals(List.of("scale", "running_mean", "fc1.weight", "fc1.bias", "body.1.weight"), new ArrayList<>(b.stateDict().keySet()));
        assertEquals(List.of("", "fc1", "body", "body.0", "body.1", "body.2"), new ArrayList<>(b.namedModules().keySet()));
        assertEquals(List.of(b.fc1, b.body), b.children());
        assertSame(b.fc1.weight(), b.parameters().get(1));
        assertEquals(4, b.parameters().size());
    }

    @Test
    void registrationReturnsWhatItRegisteredAndMarksParametersTrainable() {
        Module m = new Identity();
        Tensor w = Tensor.zeros(2);
        assertSame(w, m.registerParameter("w", w));
        assertTrue(w.requiresGrad());
        Tensor buf = Tensor.zeros(2);
        assertSame(buf, m.registerBuffer("buf", buf));
        assertFalse(buf.requiresGrad());
        ReLU r = new ReLU();
        assertSame(r, m.registerModule("act", r));
    }

    @Test
    void registrationRejectsBadAndDuplicateNames() {
        Module m = new Identity();
        m.registerParameter("w", Tensor.zeros(2));
        var dup = assertThrows(IllegalArgumentException.class, () -> m.registerBuffer("w", Tensor.zeros(2)));
        assertTrue(dup.getMessage().contains("already has a parameter, buffer or module named 'w'"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.registerModule("w", new ReLU()));
        var dot = assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", Tensor.zeros(1)));
        assertTrue(dot.getMessage().contains("'a.b'"), dot.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("", Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> m.registerModule("self", m));
        Sequential outer = new Sequential(m);
        var cycle = assertThrows(IllegalArgumentException.class, () -> m.registerModule("outer", outer));
        assertEquals("registerModule: 'outer' contains this Identity; a module cannot be its own descendant", cycle.getMessage());
        Tensor leaf = Tensor.zeros(2).requiresGrad(true);
        var notLeaf = assertThrows(IllegalArgumentException.class, () -> m.registerParameter("computed", leaf.mul(2f)));
        assertTrue(notLeaf.getMessage().contains("leaf"), notLeaf.getMessage());
    }

    @Test
    void sharedParametersAreListedAndCountedOnce() {
        Linear a = new Linear(3, 3, false, new Generator(1));
        Sequential s = new Sequential(a, new Tanh(), a);
        assertEquals(1, s.parameters().size());
        assertEquals(List.of("0.weight"), new ArrayList<>(s.namedParameters().keySet()));
        assertEquals(9, s.parameterCount());
        // the state dict keeps every name, as PyTorch's does
        assertEquals(List.of("0.weight", "2.weight"), new ArrayList<>(s.stateDict().keySet()));
    }

    @Test
    void trainAndEvalApplyRecursively() {
        Block b = new Block();
        assertTrue(b.isTraining());
        assertSame(b, b.eval());
        for (Module m : b.namedModules().values()) assertFalse(m.isTraining());
        b.train();
        for (Module m : b.namedModules().values()) assertTrue(m.isTraining());
        b.body.train(false);
        assertTrue(b.isTraining());
        assertFalse(b.body.get(2).isTraining());
    }

    @Test
    void parameterCountsTrainableAndFrozen() {
        Sequential m = mlp(1);
        assertEquals(784 * 256 + 256 + 256 * 10 + 10, m.parameterCount());
        m.get(0).requiresGrad(false);
        assertEquals(256 * 10 + 10, m.trainableParameterCount());
        assertEquals(784 * 256 + 256 + 256 * 10 + 10, m.parameterCount());
    }

    @Test
    void stateDictHoldsDetachedViewsOfTheParameters() {
        Linear l = new Linear(2, 2, true, new Generator(3));
        Tensor w = l.stateDict().get("weight");
        assertFalse(w.requiresGrad());
        assertArrayEquals(l.weight().toFloatArray(), w.toFloatArray());
        l.weight().array()[0] = 42f; // an in-place update, as an optimizer makes, shows through the view
        assertEquals(42f, w.get(0, 0));
    }

    @Test
    void stateDictRoundTripsIntoAFreshModel() {
        Block src = new Block();
        src.runningMean.array()[1] = 0.5f;
        Block dst = new Block();
        overwrite(dst);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        src.stateDict().forEach((k, v) -> sd.put(k, v.copy()));
        Module.IncompatibleKeys keys = dst.loadStateDict(sd);
        assertTrue(keys.isEmpty());
        src.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), dst.stateDict().get(k).toFloatArray(), k));
        assertTrue(dst.fc1.weight().isLeaf());
        assertTrue(dst.fc1.weight().requiresGrad());
        Tensor x = Tensor.randn(new Generator(9), 2, 4);
        src.eval();
        dst.eval();
        assertArrayEquals(src.forward(x).toFloatArray(), dst.forward(x).toFloatArray());
    }

    private static void overwrite(Module m) {
        for (Tensor p : m.parameters()) p.fill(7f);
    }

    @Test
    void strictLoadListsEveryMissingUnexpectedAndMisshapedEntryAndChangesNothing() {
        Sequential m = mlp(1);
        float[] before = m.get(0).stateDict().get("weight").toFloatArray();
        Map<String, Tensor> sd = new LinkedHashMap<>(mlp(2).stateDict());
        sd.remove("0.bias");
        sd.remove("3.weight");
        sd.put("4.weight", Tensor.zeros(5, 10));
        sd.put("3.bias", Tensor.zeros(12));
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("loadStateDict: error(s) loading the state dict into Sequential:"), msg);
        assertTrue(msg.contains("missing keys (2):\n    0.bias [256]\n    3.weight [10, 256]"), msg);
        assertTrue(msg.contains("unexpected keys (1):\n    4.weight [5, 10]"), msg);
        assertTrue(msg.contains("wrong shapes (1):\n    3.bias: state dict has [12] but the module has [10]"), msg);
        // checked before copying: 0.weight was present and well shaped, but nothing was loaded
        assertArrayEquals(before, m.get(0).stateDict().get("weight").toFloatArray());
    }

    @Test
    void nonStrictLoadReturnsMissingAndUnexpectedKeys() {
        Sequential m = mlp(1);
        Sequential other = mlp(2);
        Map<String, Tensor> sd = new LinkedHashMap<>(other.stateDict());
        sd.remove("3.bias");
        sd.put("extra", Tensor.zeros(1));
        var strict = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd));
        assertTrue(strict.getMessage().contains("loadStateDict(map, false)"), strict.getMessage());
        Module.IncompatibleKeys keys = m.loadStateDict(sd, false);
        assertEquals(List.of("3.bias"), keys.missingKeys());
        assertEquals(List.of("extra"), keys.unexpectedKeys());
        assertArrayEquals(other.get(3).stateDict().get("weight").toFloatArray(), m.get(3).stateDict().get("weight").toFloatArray());
        assertNotEquals(other.get(3).stateDict().get("bias").get(0), m.get(3).stateDict().get("bias").get(0));
    }

    @Test
    void nonStrictLoadStillRejectsWrongShapes() {
        Linear l = new Linear(3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> l.loadStateDict(Map.of("weight", Tensor.zeros(3, 2)), false));
        assertTrue(e.getMessage().contains("weight: state dict has [3, 2] but the module has [2, 3]"), e.getMessage());
    }

    @Test
    void buffersLoadButDoNotTrain() {
        Block b = new Block();
        assertFalse(b.parameters().contains(b.runningMean));
        Map<String, Tensor> sd = new LinkedHashMap<>(b.stateDict());
        sd.put("running_mean", Tensor.of(1f, 2f, 3f));
        b.loadStateDict(sd);
        assertArrayEquals(new float[] {1f, 2f, 3f}, b.runningMean.toFloatArray());
    }

    @Test
    void printsATreeWithParameterCountsAndTotals() {
        Sequential m = mlp(1);
        m.get(3).requiresGrad(false);
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=784, out_features=256, bias=True)  # 200,960 params
                  (1): ReLU()
                  (2): Dropout(p=0.2)
                  (3): Linear(in_features=256, out_features=10, bias=True)  # 2,570 params, frozen
                )
                Parameters: 203,530 (trainable: 200,960, frozen: 2,570)""", m.toString());
        Block b = new Block();
        b.fc1.bias().requiresGrad(false);
        assertEquals("""
                Block(
                  (fc1): Linear(in_features=4, out_features=3, bias=True)  # 15 params, 3 frozen
                  (body): Sequential(
                    (0): ReLU()
                    (1): Linear(in_features=3, out_features=3, bias=False)  # 9 params
                    (2): Dropout(p=0.5)
                  )
                )  # 3 params
                Parameters: 27 (trainable: 24, frozen: 3)""", b.toString());
        assertEquals("Linear(in_features=2, out_features=1, bias=False)  # 2 params", new Linear(2, 1, false).toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
    }

    @Test
    void frozenLayerGetsNoGradientAndStaysUnchangedWhileTheRestTrains() {
        Generator g = new Generator(5);
        Sequential m = new Sequential(new Linear(4, 8, true, g), new Tanh(), new Linear(8, 2, true, g));
        m.get(0).requiresGrad(false);
        assertFalse(((Linear) m.get(0)).weight().requiresGrad());
        float[] frozenBefore = ((Linear) m.get(0)).weight().toFloatArray();
        float[] headBefore = ((Linear) m.get(2)).weight().toFloatArray();
        Tensor x = Tensor.randn(g, 16, 4), target = Tensor.randn(g, 16, 2);
        float first = 0, last = 0;
        for (int step = 0; step < 50; step++) {
            m.zeroGrad();
            Tensor loss = m.forward(x).sub(target).pow(2f).mean();
            loss.backward();
            assertNull(((Linear) m.get(0)).weight().grad());
            assertNull(((Linear) m.get(0)).bias().grad());
            assertNotNull(((Linear) m.get(2)).weight().grad());
            // plain gradient descent on whatever has a gradient
            for (Tensor p : m.parameters()) {
                if (p.grad() == null) continue;
                float[] v = p.array(), d = p.grad().toFloatArray();
                for (int i = 0; i < v.length; i++) v[i] -= 0.1f * d[i];
            }
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertArrayEquals(frozenBefore, ((Linear) m.get(0)).weight().toFloatArray());
        assertFalse(java.util.Arrays.equals(headBefore, ((Linear) m.get(2)).weight().toFloatArray()));
        assertTrue(last < first, "loss " + first + " -> " + last);
        m.requiresGrad(true);
        assertEquals(m.parameterCount(), m.trainableParameterCount());
    }

    @Test
    void zeroGradZeroesEveryGradientInPlaceAndSetToNoneDropsThem() {
        Sequential m = mlp(3);
        m.forward(Tensor.randn(new Generator(1), 2, 784)).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad().abs().max().item() == 0f));
        m.zeroGrad(true);
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void applyVisitsChildrenBeforeParents() {
        List<String> order = new ArrayList<>();
        new Block().apply(m -> order.add(m.getClass().getSimpleName()));
        assertEquals(List.of("Linear", "ReLU", "Linear", "Dropout", "Sequential", "Block"), order);
    }
}
