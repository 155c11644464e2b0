package dev.nn4j.io;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.LayerNorm;
import dev.nn4j.nn.LearnedPositionalEncoding;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.MultiheadAttention;
import dev.nn4j.nn.Sequential;
import dev.nn4j.nn.SinusoidalPositionalEncoding;
import dev.nn4j.nn.TransformerEncoder;
import dev.nn4j.nn.TransformerEncoderLayer;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON model spec of the attention layers and positional encodings. */
class ModelSpecAttentionTest {
    @Test
    void transformerModelRoundTripsThroughTheSpecWithTheSameNamesAndOutputs() {
        Generator gen = new Generator(5);
        Module model = new Sequential(new Flatten(1, 2), new Linear(6, 8, true, gen), new LearnedPositionalEncoding(6, 8, gen),
                new SinusoidalPositionalEncoding(8, 10),
                new TransformerEncoder(new TransformerEncoderLayer(8, 2, 16, 0.1, "gelu", 1e-6, true, true, gen), 2, new LayerNorm(8)),
                new MultiheadAttention(8, 4, 0.0, false, true, gen));
        String json = ModelSpec.toJson(model);
        assertTrue(json.contains("{\"type\":\"TransformerEncoder\",\"num_layers\":2,\"layer\":{\"type\":\"TransformerEncoderLayer\",\"d_model\":8,"
                + "\"nhead\":2,\"dim_feedforward\":16,\"dropout\":0.1,\"activation\":\"gelu\",\"layer_norm_eps\":1.0E-6,\"batch_first\":true,"
                + "\"norm_first\":true},\"norm\":{\"type\":\"LayerNorm\""), json);
        Module rebuilt = ModelSpec.fromJson(json);
        assertEquals(json, ModelSpec.toJson(rebuilt));
        assertEquals(List.copyOf(model.stateDict().keySet()), List.copyOf(rebuilt.stateDict().keySet()));
        rebuilt.loadStateDict(model.stateDict());
        model.eval();
        rebuilt.eval();
        Tensor x = Tensor.randn(new Generator(1), 2, 1, 6, 6);
        try (var _ = NoGrad.enter()) {
            assertArrayEquals(model.forward(x).toFloatArray(), rebuilt.forward(x).toFloatArray());
        }
    }

    @Test
    void encoderWithoutFinalNormAndHandWrittenDefaults() {
        Module m = ModelSpec.fromJson("{\"type\":\"TransformerEncoder\",\"num_layers\":3,\"layer\":{\"type\":\"TransformerEncoderLayer\",\"d_model\":4,\"nhead\":2},\"norm\":null}");
        TransformerEncoder e = (TransformerEncoder) m;
        assertEquals(3, e.numLayers());
        assertEquals(null, e.norm());
        TransformerEncoderLayer l = e.layers().getFirst();
        assertEquals(List.of(2048, 0.1, "relu", 1e-5, false, false), List.of(l.dimFeedforward(), l.dropout(), l.activation(), l.layerNormEps(), l.batchFirst(), l.normFirst()));
    }

    @Test
    void specErrorsNameThePathAndProblem() {
        String e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(
                "{\"type\":\"TransformerEncoder\",\"num_layers\":2,\"layer\":{\"type\":\"Linear\",\"in_features\":2,\"out_features\":2}}")).getMessage();
        assertTrue(e.contains("model (TransformerEncoder) needs a \"layer\" of type TransformerEncoderLayer"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(
                "{\"type\":\"MultiheadAttention\",\"embed_dim\":4}")).getMessage();
        assertTrue(e.contains("needs an integer \"num_heads\""), e);
        Generator gen = new Generator(1);
        TransformerEncoder mixed = new TransformerEncoder(List.of(new TransformerEncoderLayer(4, 2, 8, 0, "relu", 1e-5, true, true, gen),
                new TransformerEncoderLayer(4, 2, 8, 0, "gelu", 1e-5, true, true, gen)), null);
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.toJson(mixed)).getMessage();
        assertTrue(e.contains("layers 0 and 1 have different options"), e);
    }
}
