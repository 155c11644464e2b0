package dev.nn4j.io;

import dev.nn4j.Golden;
import dev.nn4j.autograd.NoGrad;
import dev.nn4j.nn.Dropout;
import dev.nn4j.nn.ELU;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.GELU;
import dev.nn4j.nn.Identity;
import dev.nn4j.nn.Inference;
import dev.nn4j.nn.LeakyReLU;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.LogSoftmax;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.nn.SiLU;
import dev.nn4j.nn.Sigmoid;
import dev.nn4j.nn.Softmax;
import dev.nn4j.nn.Tanh;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {

    private static Module everyLayer(Generator gen) {
        return new Sequential(new Flatten(), new Linear(12, 8, true, gen), new ReLU(), new Dropout(0.25),
                new Linear(8, 8, false, gen), new LeakyReLU(0.2f), new ELU(0.5f), new GELU("tanh"), new SiLU(),
                new Sequential(new Linear(8, 6, true, gen), new Sigmoid(), new Tanh(), new Identity()),
                new Linear(6, 4, true, gen), new Softmax(1), new LogSoftmax(-1));
    }

    @Test
    void saveAndLoadRebuildsArchitectureWeightsAndMetadata(@TempDir Path dir) {
        Generator gen = new Generator(3);
        Module model = everyLayer(gen).eval();
        Tensor x = Tensor.randn(gen, 5, 3, 4);
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, model, Map.of("epochs", "3", "optimizer", "adam"));

        ModelFile.Loaded loaded = ModelFile.load(file);
        assertEquals(model.toString(), loaded.model().toString());
        assertEquals("3", loaded.metadata().get("epochs"));
        assertEquals(ModelFile.FORMAT, loaded.metadata().get(ModelFile.FORMAT_KEY));
        assertFalse(loaded.model().isTraining(), "a loaded model is ready for inference");
        try (var _ = NoGrad.enter()) {
            assertArrayEquals(model.forward(x).toFloatArray(), loaded.model().forward(x).toFloatArray());
        }
        assertTrue(Arrays.stream(dir.toFile().list()).allMatch(n -> n.equals("model.safetensors")), "no temporary file is left behind");
    }

    @Test
    void sequenceModelsWithEmbeddingRecurrentAndNormLayersRoundTrip(@TempDir Path dir) {
        Generator gen = new Generator(9);
        Module text = new Sequential(new dev.nn4j.nn.Embedding(20, 8, 0, gen),
                new dev.nn4j.nn.LSTM(8, 6, 2, true, true, 0.1, true, gen), new dev.nn4j.nn.LayerNorm(12), new Linear(12, 3, true, gen));
        Module grouped = new Sequential(new dev.nn4j.nn.GroupNorm(2, 4, 1e-3, true), new dev.nn4j.nn.BatchNorm1d(4, 1e-3, null, true, true),
                new Flatten(), new dev.nn4j.nn.BatchNorm1d(20), new Linear(20, 2, true, gen));
        Module recurrent = new Sequential(new dev.nn4j.nn.GRU(5, 4, 1, false, true, 0, true, gen),
                new dev.nn4j.nn.RNN(8, 3, 2, dev.nn4j.nn.RNN.Nonlinearity.RELU, true, true, 0, false, gen));
        Tensor tokens = Tensor.randint(0, 20, new int[] {2, 7}, gen);
        Tensor[] inputs = {tokens, Tensor.randn(gen, 3, 4, 5), Tensor.randn(gen, 2, 6, 5)};
        Module[] models = {text, grouped, recurrent};
        grouped.forward(inputs[1]); // a training-mode step moves the running statistics away from their initial values
        for (int i = 0; i < models.length; i++) {
            Path file = dir.resolve("m" + i + ".safetensors");
            models[i].eval();
            ModelFile.save(file, models[i], Map.of());
            Module loaded = ModelFile.load(file).model();
            assertEquals(models[i].toString(), loaded.toString());
            try (var _ = NoGrad.enter()) {
                assertArrayEquals(models[i].forward(inputs[i]).toFloatArray(), loaded.forward(inputs[i]).toFloatArray(), "model " + i);
            }
        }
        assertTrue(ModelSpec.toJson(recurrent).contains("\"nonlinearity\":\"relu\""));
        assertTrue(ModelSpec.toJson(text).contains("\"padding_idx\":0"));
    }

    @Test
    void specIsPlainJsonWithPyTorchArgumentNames() {
        Module mlp = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10, false));
        assertEquals("{\"type\":\"Sequential\",\"layers\":[{\"type\":\"Linear\",\"in_features\":784,\"out_features\":256,\"bias\":true},"
                + "{\"type\":\"ReLU\"},{\"type\":\"Linear\",\"in_features\":256,\"out_features\":10,\"bias\":false}]}", ModelSpec.toJson(mlp));
        Module rebuilt = ModelSpec.fromJson("{\"type\":\"Sequential\",\"layers\":[{\"type\":\"Linear\",\"in_features\":4,\"out_features\":2}]}");
        assertEquals(Map.of("0.weight", 8L, "0.bias", 2L), Map.of(
                "0.weight", (long) rebuilt.stateDict().get("0.weight").numel(), "0.bias", (long) rebuilt.stateDict().get("0.bias").numel()));
    }

    @Test
    void loadsAStateDictWrittenByPyTorchIntoTheSameArchitecture() throws IOException {
        byte[] bytes;
        try (var in = getClass().getResourceAsStream("/golden/io/torch_mlp.safetensors")) {
            bytes = in.readAllBytes();
        }
        Module model = new Sequential(new Linear(784, 16), new ReLU(), new Linear(16, 10));
        model.loadStateDict(Safetensors.read(bytes, "torch_mlp.safetensors").tensors());
        Golden golden = Golden.load("io/torch_mlp");
        try (var _ = NoGrad.enter()) {
            golden.assertClose("logits", model.forward(golden.tensor("x")), 1e-5, 1e-5);
        }
    }

    @Test
    void badSpecsAndFilesGiveErrorsThatNameTheProblem(@TempDir Path dir) {
        class Custom extends Module {
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        IllegalArgumentException custom = assertThrows(IllegalArgumentException.class, () -> ModelSpec.toJson(new Sequential(new ReLU(), new Custom())));
        assertTrue(custom.getMessage().contains("model.1 is a") && custom.getMessage().contains("has no JSON spec"), custom.getMessage());
        Module prepared = Inference.prepare(new Sequential(new Linear(3, 2)));
        assertEquals("model spec: model.0 is an InferenceLinear, made by Inference.prepare for inference only, which cannot be saved; "
                + "save the model before preparing it", assertThrows(IllegalArgumentException.class, () -> ModelFile.save(dir.resolve("p.safetensors"), prepared, Map.of())).getMessage());
        assertFalse(Files.exists(dir.resolve("p.safetensors")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":\"Conv9d\"}"))
                .getMessage().contains("unknown type \"Conv9d\"; known types: Sequential, Linear"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":\"Sequential\",\"layers\":[{\"type\":\"Linear\",\"in_features\":\"4\"}]}"))
                .getMessage().contains("model.0 needs an integer \"in_features\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":"))
                .getMessage().startsWith("model spec is not valid JSON"));

        Path plain = dir.resolve("weights-only.safetensors");
        Safetensors.write(plain, Map.of("w", Tensor.ones(2)), Map.of());
        ModelFileException noSpec = assertThrows(ModelFileException.class, () -> ModelFile.load(plain));
        assertTrue(noSpec.getMessage().contains(plain.toString()) && noSpec.getMessage().contains("architecture is unknown"), noSpec.getMessage());

        Path wrong = dir.resolve("wrong-shapes.safetensors");
        Safetensors.write(wrong, Map.of("0.weight", Tensor.ones(3, 4), "0.bias", Tensor.ones(3)),
                Map.of(ModelFile.SPEC_KEY, "{\"type\":\"Sequential\",\"layers\":[{\"type\":\"Linear\",\"in_features\":4,\"out_features\":2}]}"));
        ModelFileException shapes = assertThrows(ModelFileException.class, () -> ModelFile.load(wrong));
        assertTrue(shapes.getMessage().contains(wrong.toString()) && shapes.getMessage().contains("0.weight"), shapes.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(dir.resolve("x"), new Linear(2, 2), Map.of("nn4j.spec", "{}")));
    }

    @Test
    void truncatedModelFileNamesFileAndProblemAndSaveIsAtomic(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mlp.safetensors");
        Module model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        ModelFile.save(file, model, Map.of());
        byte[] good = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(good, good.length - 10));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());

        // a model that cannot be described fails before anything is written: the previous file survives intact
        Files.write(file, good);
        Module custom = new Sequential(new Linear(4, 3), new Module() {
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(file, custom, Map.of()));
        assertArrayEquals(good, Files.readAllBytes(file));
    }
}
