package dev.nn4j.nn;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.autograd.NoGrad;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiheadAttentionTest {
    private static final Generator GEN = new Generator(7);

    /** Runs a golden MHA case through {@code forward(query, key, value, masks…)}; self-attention passes one tensor three times. */
    private static void assertMatchesGolden(String name, MultiheadAttention mha, boolean average) {
        AttentionGolden.assertMatches(name, mha, c -> {
            Tensor q = c.inputs().getOrDefault("query", c.inputs().get("input"));
            Tensor k = c.inputs().getOrDefault("key", q), v = c.inputs().getOrDefault("value", q);
            MultiheadAttention.Output o = mha.forward(q, k, v, c.attnMask(), c.keyPaddingMask(), true, average, c.isCausal());
            return Map.of("output", o.output(), "weights", o.weights());
        });
    }

    @Test
    void crossAttentionMatchesPyTorchSequenceFirst() {
        assertMatchesGolden("attn_mha_cross_seq_first", new MultiheadAttention(4, 2, 0, true, false, GEN), true);
    }

    @Test
    void crossAttentionMatchesPyTorchBatchFirstWithThreeHeads() {
        assertMatchesGolden("attn_mha_cross_batch_first", new MultiheadAttention(6, 3, 0, true, true, GEN), true);
    }

    @Test
    void causalSelfAttentionMatchesPyTorchWithASubsequentMask() {
        assertMatchesGolden("attn_mha_self_causal_batch_first", new MultiheadAttention(4, 2, 0, true, true, GEN), true);
    }

    @Test
    void keyPaddingMaskMatchesPyTorchWithPerHeadWeights() {
        assertMatchesGolden("attn_mha_self_key_padding_per_head", new MultiheadAttention(4, 2, 0, true, false, GEN), false);
    }

    @Test
    void perHeadFloatMaskMatchesPyTorchWithoutBias() {
        assertMatchesGolden("attn_mha_float_mask_3d_no_bias", new MultiheadAttention(4, 2, 0, false, true, GEN), true);
    }

    @Test
    void floatMaskAndKeyPaddingMaskCombineAsInPyTorch() {
        assertMatchesGolden("attn_mha_float_mask_2d_key_padding", new MultiheadAttention(4, 1, 0, true, false, GEN), true);
    }

    @Test
    void gradientsMatchCentralDifferencesThroughMasksAndBothProjectionPaths() {
        MultiheadAttention mha = new MultiheadAttention(4, 2, 0, true, true, new Generator(3));
        Generator gen = new Generator(11);
        Tensor q = Tensor.randn(gen, 2, 3, 4).requiresGrad(true);
        Tensor kv = Tensor.randn(gen, 2, 4, 4).requiresGrad(true);
        Tensor padding = Tensor.fromArray(new float[] {0, 0, 0, 1, 1, 0, 0, 0}, 2, 4);
        Tensor attnMask = Tensor.randn(gen, 3, 4);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("query", q);
        inputs.put("keyValue", kv);
        inputs.putAll(mha.namedParameters());
        // cross-attention (separate projections) with both masks, and causal self-attention (packed projection); output and weights
        GradCheck.defaults().assertClose(() -> {
            MultiheadAttention.Output cross = mha.forward(q, kv, kv, attnMask, padding, true, false, false);
            MultiheadAttention.Output self = mha.forward(q, q, q, null, null, true, true, true);
            return Tensor.cat(0, cross.output().reshape(-1), cross.weights().reshape(-1), self.output().reshape(-1), self.weights().reshape(-1));
        }, inputs);
    }

    @Test
    void parametersHavePyTorchNamesShapesAndInitialisation() {
        MultiheadAttention mha = new MultiheadAttention(8, 2, 0, true, false, new Generator(1));
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), List.copyOf(mha.stateDict().keySet()));
        assertArrayEquals(new int[] {24, 8}, mha.inProjWeight().shape());
        // xavier_uniform on [24, 8]: bound √(6 / (8 + 24)) = 0.433; biases start at zero
        float bound = (float) Math.sqrt(6.0 / 32);
        float max = 0;
        for (float w : mha.inProjWeight().toFloatArray()) max = Math.max(max, Math.abs(w));
        assertTrue(max <= bound && max > 0.8f * bound, "in_proj_weight range " + max + " vs bound " + bound);
        assertEquals(0f, mha.inProjBias().abs().sum().item());
        assertEquals(0f, mha.outProj().bias().abs().sum().item());
        assertEquals(List.of("in_proj_weight", "out_proj.weight"), List.copyOf(new MultiheadAttention(8, 2, 0, false, false, GEN).stateDict().keySet()));
    }

    @Test
    void unbatchedInputGivesTheBatchedResultWithoutTheBatchDimension() {
        MultiheadAttention mha = new MultiheadAttention(4, 2, 0, true, true, new Generator(2));
        Tensor x = Tensor.randn(new Generator(4), 3, 4);
        try (var _ = NoGrad.enter()) {
            MultiheadAttention.Output one = mha.forward(x, x, x, null, Tensor.of(0, 0, 1), true, false);
            MultiheadAttention.Output batched = mha.forward(x.unsqueeze(0), x.unsqueeze(0), x.unsqueeze(0), null, Tensor.fromArray(new float[] {0, 0, 1}, 1, 3), true, false);
            assertArrayEquals(batched.output().squeeze(0).toFloatArray(), one.output().toFloatArray());
            assertArrayEquals(new int[] {3, 3}, one.weights().shape());
            assertEquals(0f, one.weights().select(1, 2).abs().sum().item(), "padded key gets no weight");
        }
    }

    @Test
    void selfAttentionForwardFitsInSequentialAndOmitsWeightsWhenNotAsked() {
        MultiheadAttention mha = new MultiheadAttention(4, 2, 0, true, true, new Generator(2));
        Tensor x = Tensor.randn(new Generator(5), 2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, new Sequential(mha, new ReLU()).forward(x).shape());
        assertNull(mha.forward(x, x, x, null, null, false, false).weights());
    }

    @Test
    void fullyMaskedQueryRowsGiveNaNAsInPyTorch() {
        MultiheadAttention mha = new MultiheadAttention(2, 1, 0, true, true, new Generator(2));
        Tensor x = Tensor.randn(new Generator(6), 1, 2, 2);
        Tensor out = mha.forward(x, x, x, null, Tensor.fromArray(new float[] {1, 1}, 1, 2), false, false).output();
        for (float v : out.toFloatArray()) assertTrue(Float.isNaN(v));
    }

    @Test
    void causalMaskBlocksLaterPositions() {
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0, Float.NEGATIVE_INFINITY},
                MultiheadAttention.causalMask(2, 3).toFloatArray());
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 0, 0}, MultiheadAttention.additiveMask(Tensor.of(1, 0, 0)).toFloatArray());
    }

    @Test
    void badShapesGiveErrorsNamingTheShapes() {
        MultiheadAttention mha = new MultiheadAttention(4, 2, 0, true, true, GEN);
        Tensor x = Tensor.zeros(2, 3, 4);
        String e = assertThrows(IllegalArgumentException.class, () -> mha.forward(Tensor.zeros(2, 3, 5))).getMessage();
        assertTrue(e.contains("embedDim") && e.contains("[2, 3, 5]"), e);
        e = assertThrows(IllegalArgumentException.class, () -> mha.forward(x, Tensor.zeros(3, 3, 4), Tensor.zeros(3, 3, 4))).getMessage();
        assertTrue(e.contains("batch size") && e.contains("[3, 3, 4]"), e);
        e = assertThrows(IllegalArgumentException.class, () -> mha.forward(x, x, x, Tensor.zeros(3, 4), null, false, false)).getMessage();
        assertTrue(e.contains("attnMask must be [L, S] = [3, 3]") && e.contains("[3, 4]"), e);
        e = assertThrows(IllegalArgumentException.class, () -> mha.forward(x, x, x, null, Tensor.zeros(3, 3), false, false)).getMessage();
        assertTrue(e.contains("keyPaddingMask must be [B, S] = [2, 3]"), e);
        e = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4)).getMessage();
        assertTrue(e.contains("embedDim is 6 and numHeads is 4"), e);
    }
}
