package dev.nn4j.nn;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerEncoderLayerTest {
    private static final Generator GEN = new Generator(8);

    static void assertLayerMatches(String name, TransformerEncoderLayer layer) {
        AttentionGolden.assertMatches(name, layer, c -> Map.of("output",
                layer.forward(c.inputs().get("input"), c.attnMask(), c.keyPaddingMask(), c.isCausal())));
    }

    @Test
    void postNormReluLayerMatchesPyTorchWithKeyPaddingMask() {
        assertLayerMatches("attn_encoder_layer_post_relu_key_padding", new TransformerEncoderLayer(4, 2, 6, 0, "relu", 1e-5, false, false, GEN));
    }

    @Test
    void preNormGeluLayerMatchesPyTorchBatchFirstAndCausal() {
        assertLayerMatches("attn_encoder_layer_pre_gelu_causal", new TransformerEncoderLayer(4, 2, 6, 0, "gelu", 1e-5, true, true, GEN));
    }

    @Test
    void postNormGeluLayerMatchesPyTorchWithFloatMaskAndLargerEps() {
        assertLayerMatches("attn_encoder_layer_post_gelu_float_mask", new TransformerEncoderLayer(4, 2, 5, 0, "gelu", 1e-3, false, false, GEN));
    }

    @Test
    void stateDictHasPyTorchNamesInPyTorchOrder() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0.1, "relu", 1e-5, true, true, GEN);
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"),
                List.copyOf(layer.stateDict().keySet()));
        assertEquals(List.of("self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2"),
                List.copyOf(layer.namedChildren().keySet()));
    }

    @Test
    void gradientsMatchCentralDifferencesForPreAndPostNorm() {
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 3, 0, normFirst ? "gelu" : "relu", 1e-5, true, normFirst, new Generator(4));
            Tensor x = Tensor.randn(new Generator(9), 2, 3, 4).requiresGrad(true);
            Tensor padding = Tensor.fromArray(new float[] {0, 0, 1, 0, 0, 0}, 2, 3);
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            inputs.put("input", x);
            inputs.putAll(layer.namedParameters());
            GradCheck.defaults().assertClose(() -> layer.forward(x, null, padding, normFirst), inputs);
        }
    }

    @Test
    void dropoutActsOnlyInTrainingMode() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 8, 0.5, "relu", 1e-5, true, false, new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 3, 4);
        Tensor train = layer.forward(x);
        layer.eval();
        assertArrayEquals(layer.forward(x).toFloatArray(), layer.forward(x).toFloatArray());
        assertNotEquals(java.util.Arrays.toString(train.toFloatArray()), java.util.Arrays.toString(layer.forward(x).toFloatArray()));
    }

    @Test
    void copyHasEqualWeightsButOwnTensors() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0, "gelu", 1e-5, true, true, new Generator(1));
        TransformerEncoderLayer copy = layer.copy();
        layer.stateDict().forEach((k, v) -> {
            assertArrayEquals(v.toFloatArray(), copy.stateDict().get(k).toFloatArray(), k);
            assertTrue(v.array() != copy.stateDict().get(k).array(), k + " shares storage");
        });
    }

    @Test
    void badOptionsAndShapesGiveClearErrors() {
        String e = assertThrows(IllegalArgumentException.class, () -> new TransformerEncoderLayer(4, 2, 6, 0, "tanh", 1e-5, true, true, GEN)).getMessage();
        assertTrue(e.contains("\"tanh\""), e);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0, "relu", 1e-5, true, true, GEN);
        e = assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(2, 3, 5))).getMessage();
        assertTrue(e.contains("[2, 3, 5]"), e);
    }
}
