package dev.nn4j.tensor;

import dev.nn4j.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creation, element access, copying, views sharing storage, seeded random tensors and PyTorch-style printing. */
class TensorTest {

    // ------------------------------------------------------------------ creation

    @Test
    void zerosOnesAndFullHaveTheirShapeAndValue() {
        assertTensor(Tensor.zeros(2, 3), new int[] {2, 3}, 0, 0, 0, 0, 0, 0);
        assertTensor(Tensor.ones(3), new int[] {3}, 1, 1, 1);
        assertTensor(Tensor.full(-2.5f, 1, 2), new int[] {1, 2}, -2.5f, -2.5f);
        assertTensor(Tensor.zerosLike(Tensor.ones(2, 1)), new int[] {2, 1}, 0, 0);
        assertTensor(Tensor.onesLike(Tensor.zeros(1, 2)), new int[] {1, 2}, 1, 1);
        assertTensor(Tensor.zeros(), new int[0], 0);
        assertTensor(Tensor.zeros(2, 0), new int[] {2, 0});
    }

    @Test
    void arangeMatchesPyTorch() {
        // torch.arange(4.), torch.arange(0.5, 2.0, 0.3), torch.arange(5, 0, -2)
        assertTensor(Tensor.arange(4), new int[] {4}, 0, 1, 2, 3);
        // torch gets the step as the double 0.3, we get the float 0.3f, so values may differ in the last bit
        float[] torch = {0.5f, 0.800000011920929f, 1.100000023841858f, 1.399999976158142f, 1.7000000476837158f};
        float[] ours = Tensor.arange(0.5f, 2.0f, 0.3f).toFloatArray();
        assertEquals(torch.length, ours.length);
        for (int i = 0; i < torch.length; i++) assertEquals(torch[i], ours[i], Math.ulp(torch[i]), "arange element " + i);
        assertTensor(Tensor.arange(5, 0, -2), new int[] {3}, 5, 3, 1);
        assertTensor(Tensor.arange(3, 3, 1), new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
    }

    @Test
    void linspaceMatchesPyTorch() {
        // torch.linspace(-1, 2, 7), torch.linspace(0, 1, 5), torch.linspace(0.1, 0.7, 7) (float32)
        assertTensor(Tensor.linspace(-1, 2, 7), new int[] {7}, -1, -0.5f, 0, 0.5f, 1, 1.5f, 2);
        assertTensor(Tensor.linspace(0, 1, 5), new int[] {5}, 0, 0.25f, 0.5f, 0.75f, 1);
        float[] torch = {0.10000000149011612f, 0.19999998807907104f, 0.29999998211860657f, 0.4000000059604645f, 0.5f,
                0.6000000238418579f, 0.699999988079071f};
        float[] ours = Tensor.linspace(0.1f, 0.7f, 7).toFloatArray();
        for (int i = 0; i < torch.length; i++) assertEquals(torch[i], ours[i], Math.ulp(torch[i]), "linspace element " + i);
        assertTensor(Tensor.linspace(3, 5, 1), new int[] {1}, 3);
        assertTensor(Tensor.linspace(3, 5, 0), new int[] {0});
    }

    @Test
    void eyeIsTheIdentity() {
        assertTensor(Tensor.eye(3), new int[] {3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        Tensor a = Tensor.arange(6).reshape(3, 2);
        assertArrayEquals(a.toFloatArray(), Tensor.eye(3).matmul(a).toFloatArray());
    }

    @Test
    void fromArrayOfAndScalarCopyTheirValues() {
        float[] v = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.fromArray(v, 2, 3);
        v[0] = 99;
        assertTensor(t, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertTensor(Tensor.fromArray(new float[] {1, 2}), new int[] {2}, 1, 2);
        assertTensor(Tensor.of(7, 8, 9), new int[] {3}, 7, 8, 9);
        assertTensor(Tensor.scalar(4.5f), new int[0], 4.5f);
        assertEquals(4.5f, Tensor.scalar(4.5f).item());
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(new float[5], 2, 3));
    }

    @Test
    void shareWrapsTheArrayWithoutCopying() {
        float[] v = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.share(v, 3, 2);
        v[0] = 99;
        assertTensor(t, new int[] {3, 2}, 99, 2, 3, 4, 5, 6);
        assertTensor(Tensor.share(new float[] {1, 2}), new int[] {2}, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.share(new float[5], 2, 3));
        assertEquals("share: 5 values cannot fill shape [2, 3] (6 elements)", e.getMessage());
    }

    /** Shapes [2], [2, 1], [2, 1, 3], … up to rank 6, with values 0, 1, 2, … */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void tensorsOfRankZeroToSixIndexReduceAndPermute(int rank) {
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) shape[d] = d % 2 == 0 ? 2 : (d == 1 ? 1 : 3);
        int n = Shape.numel(shape);
        Tensor t = Tensor.arange(n).reshape(shape);
        assertEquals(rank, t.dim());
        assertEquals(n, t.numel());
        assertArrayEquals(shape, t.shape());
        assertEquals((float) n * (n - 1) / 2, t.sum().item());
        // the last element by its multi-index, positive and negative
        int[] last = new int[rank], lastNeg = new int[rank];
        for (int d = 0; d < rank; d++) {
            last[d] = shape[d] - 1;
            lastNeg[d] = -1;
        }
        assertEquals(n - 1, t.get(last));
        assertEquals(n - 1, t.get(lastNeg));
        // reversing the dims moves element (i0, …, ir) to (ir, …, i0)
        int[] rev = new int[rank];
        for (int d = 0; d < rank; d++) rev[d] = rank - 1 - d;
        Tensor p = t.permute(rev);
        int[] idx = new int[rank], ridx = new int[rank];
        for (int d = 0; d < rank; d++) {
            idx[d] = shape[d] > 1 ? 1 : 0;
            ridx[rank - 1 - d] = idx[d];
        }
        assertEquals(t.get(idx), p.get(ridx));
        assertArrayEquals(t.toFloatArray(), p.permute(rev).contiguous().toFloatArray());
        t.set(-1f, idx);
        assertEquals(-1f, p.get(ridx), "permute is a view of the same storage");
    }

    // ------------------------------------------------------------------ element access and copying

    @Test
    void itemGetSetAndToFloatArray() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        assertEquals(5f, t.get(1, 2));
        assertEquals(3f, t.get(-1, 0));
        t.set(42f, 0, 1);
        assertArrayEquals(new float[] {0, 42, 2, 3, 4, 5}, t.toFloatArray());
        assertEquals(42f, t.narrow(1, 1, 1).narrow(0, 0, 1).item());
        float[] copy = t.toFloatArray();
        copy[0] = 100;
        assertEquals(0f, t.get(0, 0), "toFloatArray returns a fresh array");
        assertArrayEquals(new float[] {0, 3, 42, 4, 2, 5}, t.t().toFloatArray());
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.get(1));
    }

    @Test
    void copyFromBroadcastsAndWritesThroughViews() {
        Tensor base = Tensor.zeros(3, 4);
        base.narrow(1, 1, 2).copyFrom(Tensor.of(7, 8));  // a non-contiguous view: columns 1 and 2 of every row
        assertArrayEquals(new float[] {0, 7, 8, 0, 0, 7, 8, 0, 0, 7, 8, 0}, base.toFloatArray());
        base.t().select(0, 3).copyFrom(Tensor.of(1, 2, 3)); // column 3
        assertArrayEquals(new float[] {0, 7, 8, 1, 0, 7, 8, 2, 0, 7, 8, 3}, base.toFloatArray());
        Tensor dense = Tensor.zeros(2, 2).copyFrom(Tensor.of(1, 2, 3, 4).reshape(2, 2).t());
        assertArrayEquals(new float[] {1, 3, 2, 4}, dense.toFloatArray());
        assertArrayEquals(new float[] {5, 5, 5}, Tensor.zeros(3).fill(5).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 2).copyFrom(Tensor.zeros(3)));
    }

    @Test
    void viewsShareStorageAndReshapeCopiesOnlyWhenItMust() {
        Tensor base = Tensor.arange(12).reshape(3, 4);
        Tensor col = base.t().select(0, 1);              // column 1: a strided view
        base.set(-5f, 2, 1);
        assertEquals(-5f, col.get(2));
        Tensor unsq = base.t().unsqueeze(0);             // reshape of a transposed tensor that needs no copy
        base.set(-6f, 0, 0);
        assertEquals(-6f, unsq.get(0, 0, 0));
        assertFalse(base.t().isContiguous());
        assertTrue(base.narrow(0, 1, 1).isContiguous());
        Tensor flat = base.t().reshape(-1);              // here the element order changes: a copy
        base.set(-7f, 0, 1);
        assertEquals(4f, flat.get(1));
        assertArrayEquals(new float[] {-6, 4, 8}, flat.narrow(0, 0, 3).toFloatArray());
        Tensor same = base.contiguous();
        assertSame(base, same);
        assertThrows(IllegalStateException.class, () -> base.t().array());
    }

    // ------------------------------------------------------------------ seeded random tensors

    @Test
    void randomTensorsAreReproducibleFromASeed() {
        assertArrayEquals(Tensor.randn(new Generator(3), 5, 4).toFloatArray(), Tensor.randn(new Generator(3), 5, 4).toFloatArray());
        assertArrayEquals(Tensor.rand(new Generator(3), 7).toFloatArray(), Tensor.rand(new Generator(3), 7).toFloatArray());
        assertArrayEquals(Tensor.randint(0, 10, new int[] {9}, new Generator(3)).toFloatArray(),
                Tensor.randint(0, 10, new int[] {9}, new Generator(3)).toFloatArray());
        assertArrayEquals(Tensor.randperm(9, new Generator(3)).toFloatArray(), Tensor.randperm(9, new Generator(3)).toFloatArray());
        assertFalse(Arrays.equals(Tensor.randn(new Generator(3), 8).toFloatArray(), Tensor.randn(new Generator(4), 8).toFloatArray()));
        Generator.manualSeed(11);
        float[] first = Tensor.rand(6).toFloatArray();
        Generator.manualSeed(11);
        assertArrayEquals(first, Tensor.rand(6).toFloatArray());
        assertNotEquals(first[0], Tensor.rand(1).item(), "the global generator advances");
    }

    /** First values for seed 42, computed independently by a Python SplitMix64 (so a change of generator is caught). */
    @Test
    void randomTensorsHavePinnedFirstValues() {
        assertArrayEquals(new float[] {0.7415648698806763f, 0.1599103808403015f, 0.27860110998153687f, 0.34419065713882446f},
                Tensor.rand(new Generator(42), 4).toFloatArray());
        assertArrayEquals(new float[] {0.8822488784790039f, -0.45084986090660095f, 0.18835262954235077f, 0.21958637237548828f},
                Tensor.randn(new Generator(42), 2, 2).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {8, 6, 9, 8, 7, 6}, Tensor.randint(3, 10, new int[] {2, 3}, new Generator(42)).toFloatArray());
        assertArrayEquals(new float[] {5, 4, 2, 1, 0, 6, 7, 3}, Tensor.randperm(8, new Generator(42)).toFloatArray());
    }

    @Test
    void randomValuesHaveTheirDistribution() {
        float[] u = Tensor.rand(new Generator(5), 20000).toFloatArray();
        float[] z = Tensor.randn(new Generator(5), 20000).toFloatArray();
        float[] k = Tensor.randint(-2, 3, new int[] {20000}, new Generator(5)).toFloatArray();
        double mu = 0, mz = 0, vz = 0;
        for (int i = 0; i < u.length; i++) {
            assertTrue(u[i] >= 0 && u[i] < 1);
            assertTrue(k[i] >= -2 && k[i] <= 2 && k[i] == Math.rint(k[i]));
            mu += u[i];
            mz += z[i];
            vz += z[i] * z[i];
        }
        // standard errors: uniform mean 0.002, normal mean 0.007, normal second moment 0.01
        assertEquals(0.5, mu / u.length, 0.01);
        assertEquals(0, mz / z.length, 0.03);
        assertEquals(1, vz / z.length, 0.05);
        float[] perm = Tensor.randperm(50, new Generator(5)).toFloatArray();
        Arrays.sort(perm);
        assertArrayEquals(Tensor.arange(50).toFloatArray(), perm);
    }

    // ------------------------------------------------------------------ printing

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "negative_scalar", "integer_vector", "float_vector", "matrix", "integer_matrix", "rank3",
            "scientific_small", "scientific_ratio", "integer_scientific", "zeros", "nonfinite", "wrapped_vector",
            "requires_grad", "empty", "empty_matrix", "summarised_vector", "summarised_matrix"})
    void toStringPrintsWhatPyTorchPrints(String name) {
        Golden golden = Golden.load("ops/print");
        Tensor t = switch (name) {
            case "summarised_vector" -> Tensor.arange(2000);                              // torch.arange(2000.)
            case "summarised_matrix" -> Tensor.arange(1200).reshape(40, 30).div(7f);      // torch.arange(1200.).reshape(40, 30) / 7
            case "requires_grad" -> golden.tensor(name).requiresGrad(true);
            default -> golden.tensor(name);
        };
        assertEquals(golden.meta().get(name).asText(), t.toString());
    }

    @Test
    void toStringOfAComputedTensorNamesItsOp() {
        Tensor x = Tensor.of(1, 2).requiresGrad(true);
        assertEquals("tensor([2., 4.], grad_fn=<BinaryBackward>)", x.mul(2f).toString());
        assertEquals("tensor([1., 2.])", x.detach().toString());
    }

    // ------------------------------------------------------------------ joining helpers

    @Test
    void splitAndChunkCutIntoPyTorchsPieces() {
        Tensor t = Tensor.arange(7);
        assertEquals(List.of(3, 3, 1), t.split(3, 0).stream().map(p -> p.size(0)).toList());
        assertEquals(List.of(3, 3, 1), t.chunk(3, 0).stream().map(p -> p.size(0)).toList()); // torch.chunk(arange(7), 3)
        assertEquals(List.of(2, 2, 2), Tensor.arange(6).chunk(4, 0).stream().map(p -> p.size(0)).toList()); // only 3 pieces, as torch
        assertArrayEquals(new float[] {6}, t.split(3, 0).get(2).toFloatArray());
    }

    private static void assertTensor(Tensor t, int[] shape, float... values) {
        assertArrayEquals(shape, t.shape(), "shape");
        assertArrayEquals(values, t.toFloatArray(), "values of " + t);
    }
}
