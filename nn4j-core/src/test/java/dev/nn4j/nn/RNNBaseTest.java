package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour shared by RNN, LSTM and GRU through {@link RNNBase}: names, init, shapes, errors, dropout. */
class RNNBaseTest {
    @Test
    void parametersAreNamedShapedAndOrderedAsInPyTorch() {
        LSTM lstm = new LSTM(3, 5, 2, true, false, 0, true, new Generator(1));
        assertEquals(List.of(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                new ArrayList<>(lstm.stateDict().keySet()));
        var p = lstm.namedParameters();
        assertArrayEquals(new int[] {20, 3}, p.get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {20, 10}, p.get("weight_ih_l1_reverse").shape());   // layer 1 reads both directions
        assertArrayEquals(new int[] {20, 5}, p.get("weight_hh_l1").shape());
        assertArrayEquals(new int[] {15, 3}, new GRU(3, 5).namedParameters().get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {5, 3}, new RNN(3, 5).namedParameters().get("weight_ih_l0").shape());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"),
                new ArrayList<>(new GRU(3, 5, 1, false, false, 0, false, new Generator(1)).stateDict().keySet()));
    }

    @Test
    void initIsUniformWithinOneOverSqrtHiddenSize() {
        LSTM lstm = new LSTM(30, 25, 1, true, false, 0, false, new Generator(2));
        double bound = 1 / Math.sqrt(25);
        for (Tensor t : lstm.parameters()) {
            double max = 0;
            for (float f : t.toFloatArray()) max = Math.max(max, Math.abs(f));
            assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " should approach the bound " + bound);
        }
        assertArrayEquals(lstm.parameters().getFirst().toFloatArray(),
                new LSTM(30, 25, 1, true, false, 0, false, new Generator(2)).parameters().getFirst().toFloatArray());
    }

    @Test
    void forwardOfOneTensorReturnsTheOutputSequenceAndFitsInSequential() {
        GRU gru = new GRU(4, 3, 1, true, true, 0, true, new Generator(3));
        Tensor x = Tensor.randn(new Generator(4), 2, 5, 4);
        Tensor y = gru.forward(x);
        assertArrayEquals(new int[] {2, 5, 6}, y.shape());
        assertArrayEquals(gru.forward(x, null).output().toFloatArray(), y.toFloatArray());
        Sequential net = new Sequential(gru, new Flatten(), new Linear(30, 2, true, new Generator(5)));
        assertArrayEquals(new int[] {2, 2}, net.forward(x).shape());
        assertEquals("GRU(4, 3, batch_first=True, bidirectional=True)", gru.toString().split("  #")[0]);
    }

    @Test
    void finalHiddenStateIsTheLastOutputStepForwardAndTheFirstStepReverse() {
        LSTM lstm = new LSTM(2, 3, 1, true, false, 0, true, new Generator(6));
        RNNOutput o = lstm.forward(Tensor.randn(new Generator(7), 4, 2, 2), null, null);
        assertArrayEquals(new int[] {2, 2, 3}, o.hN().shape());
        assertArrayEquals(o.output().select(0, 3).narrow(1, 0, 3).contiguous().toFloatArray(), o.hN().select(0, 0).contiguous().toFloatArray());
        assertArrayEquals(o.output().select(0, 0).narrow(1, 3, 3).contiguous().toFloatArray(), o.hN().select(0, 1).contiguous().toFloatArray());
    }

    @Test
    void shapeErrorsNameTheLayerAndTheShapes() {
        LSTM lstm = new LSTM(4, 3, 2, true, false, 0, false, new Generator(8));
        var e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 7)));
        assertEquals("LSTM expects last dimension 4 (inputSize) but input shape is [5, 2, 7]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(1, 5, 2, 4)));
        assertEquals("LSTM expects an input of rank 3 ([seq, batch, inputSize]) or rank 2 (unbatched [seq, inputSize]) but input shape is [1, 5, 2, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 4), Tensor.zeros(1, 2, 3), null));
        assertEquals("LSTM expects h0 of shape [2, 2, 3] (numLayers·directions, batch, hiddenSize) but got [1, 2, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 2, 4), null, Tensor.zeros(2, 3)));
        assertEquals("LSTM expects c0 of shape [2, 2, 3] (numLayers·directions, batch, hiddenSize) but got [2, 3]", e.getMessage());
        GRU gru = new GRU(4, 3, 1, true, true, 0, true, new Generator(9));
        e = assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(5, 4), Tensor.zeros(2, 1, 3)));
        assertEquals("GRU expects h0 of shape [2, 3] (numLayers·directions, hiddenSize) but got [2, 1, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 0, 4)));
        assertEquals("GRU expects a non-empty sequence and batch but input shape is [2, 0, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RNN(0, 3));
        assertEquals("RNN: inputSize, hiddenSize and numLayers must be positive but were 0, 3 and 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GRU(2, 2, 2, true, false, 1.5, false, new Generator(1)));
    }

    @Test
    void dropoutActsBetweenLayersOnlyInTrainingAndFollowsTheGenerator() {
        Tensor x = Tensor.randn(new Generator(10), 4, 3, 2);
        LSTM a = new LSTM(2, 8, 2, true, false, 0.5, false, new Generator(11));
        LSTM b = new LSTM(2, 8, 2, true, false, 0.5, false, new Generator(11));
        LSTM none = new LSTM(2, 8, 2, true, false, 0, false, new Generator(11));
        float[] ya = a.forward(x).toFloatArray(), yb = b.forward(x).toFloatArray(), y0 = none.forward(x).toFloatArray();
        assertArrayEquals(ya, yb, "same generator seed, same masks");
        assertFalse(Arrays.equals(ya, y0), "training with dropout 0.5 differs from no dropout");
        a.eval();
        assertArrayEquals(y0, a.forward(x).toFloatArray(), "eval mode: no dropout");
        // one layer: nothing lies between layers, so dropout changes nothing even in training
        LSTM one = new LSTM(2, 8, 1, true, false, 0.5, false, new Generator(12));
        LSTM oneNone = new LSTM(2, 8, 1, true, false, 0, false, new Generator(12));
        assertArrayEquals(oneNone.forward(x).toFloatArray(), one.forward(x).toFloatArray());
    }
}
