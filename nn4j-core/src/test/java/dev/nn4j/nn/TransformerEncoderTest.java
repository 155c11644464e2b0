package dev.nn4j.nn;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.optim.Adam;
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

class TransformerEncoderTest {
    @Test
    void twoPreNormLayersAndFinalNormMatchPyTorch() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0, "relu", 1e-5, true, true, new Generator(1));
        TransformerEncoder encoder = new TransformerEncoder(layer, 2, new LayerNorm(4));
        AttentionGolden.assertMatches("attn_encoder_2layer_norm_pre_relu", encoder, c -> Map.of("output",
                encoder.forward(c.inputs().get("input"), c.attnMask(), c.keyPaddingMask(), c.isCausal())));
    }

    @Test
    void clonesStartEqualUnderPyTorchNames() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0, "relu", 1e-5, true, false, new Generator(1));
        TransformerEncoder encoder = new TransformerEncoder(layer, 3, null);
        assertEquals(3, encoder.numLayers());
        assertNull(encoder.norm());
        assertTrue(encoder.stateDict().containsKey("layers.2.self_attn.out_proj.bias"));
        assertTrue(encoder.stateDict().keySet().stream().noneMatch(k -> k.startsWith("norm.")));
        assertArrayEquals(encoder.stateDict().get("layers.0.linear1.weight").toFloatArray(), encoder.stateDict().get("layers.2.linear1.weight").toFloatArray());
        assertTrue(encoder.layers().stream().noneMatch(l -> l == layer), "the given layer is copied, not used");
        TransformerEncoder distinct = new TransformerEncoder(List.of(layer), new LayerNorm(4));
        assertTrue(distinct.layers().getFirst() == layer);
        assertEquals(List.of("weight", "bias"), distinct.stateDict().keySet().stream().filter(k -> k.startsWith("norm.")).map(k -> k.substring(5)).toList());
    }

    @Test
    void gradientsMatchCentralDifferences() {
        TransformerEncoder encoder = new TransformerEncoder(new TransformerEncoderLayer(4, 2, 3, 0, "gelu", 1e-5, false, true, new Generator(2)), 2, new LayerNorm(4));
        Tensor x = Tensor.randn(new Generator(3), 3, 2, 4).requiresGrad(true);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("input", x);
        inputs.putAll(encoder.namedParameters());
        GradCheck.defaults().assertClose(() -> encoder.forward(x, null, null, true), inputs);
    }

    @Test
    void oneLayerEncoderLearnsWhichTokenAppearsFirst() {
        // toy task: 16 sequences of 5 one-hot tokens from 4 symbols; the class is the first token. Mean pooling hides
        // the order, so the model must use the positional encoding and attention to solve it.
        Generator gen = new Generator(42);
        int n = 16, T = 5, V = 4;
        float[] xs = new float[n * T * V], ys = new float[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < T; t++) {
                int tok = (int) (gen.nextDouble() * V);
                xs[(i * T + t) * V + tok] = 1;
                if (t == 0) ys[i] = tok;
            }
        }
        Tensor x = Tensor.fromArray(xs, n, T, V), y = Tensor.fromArray(ys, n);
        Linear embed = new Linear(V, 16, true, gen), head = new Linear(16, V, true, gen);
        LearnedPositionalEncoding pos = new LearnedPositionalEncoding(T, 16, gen);
        TransformerEncoder encoder = new TransformerEncoder(new TransformerEncoderLayer(16, 2, 32, 0, "relu", 1e-5, true, true, gen), 1, new LayerNorm(16));
        Sequential model = new Sequential(embed, pos, encoder);
        List<Tensor> params = new java.util.ArrayList<>(model.parameters());
        params.addAll(head.parameters());
        Adam opt = new Adam(params, 2e-2);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        float first = 0, last = 0;
        for (int step = 0; step < 40; step++) {
            opt.zeroGrad();
            Tensor loss = lossFn.forward(head.forward(model.forward(x).mean(1)), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.05 * first && last < 0.05, "loss went from " + first + " to " + last);
    }
}
