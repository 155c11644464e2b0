package dev.nn4j.serve;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.Preprocessing;
import dev.nn4j.io.ModelFile;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Small model files for the server tests: a seeded 8×8 grey-image classifier and constant classifiers. */
final class TestModels {
    static final int FEATURES = 64, CLASSES = 3;
    static final String CLASS_NAMES = "cat,dog,bird";
    static final Preprocessing PRE = Preprocessing.of(new Preprocessing.Normalize(new float[]{0.5f}, new float[]{0.25f}));

    private TestModels() {}

    /**
     * A 64-32-3 MLP over {@code [1, 8, 8]} images with normalisation stored in the file. Its first layer takes the
     * row-dot tiles for fewer than 6 rows (4 without 512-bit vectors) and the packed GEMM for more (its K = 64 is short for the dot tiles).
     */
    static Module mlp(long seed) {
        Generator gen = new Generator(seed);
        return new Sequential(new Flatten(), new Linear(FEATURES, 32, true, gen), new ReLU(), new Linear(32, CLASSES, true, gen));
    }

    static Path saveMlp(Path file, long seed) {
        ModelFile.save(file, mlp(seed), Map.of("input_shape", "[1, 8, 8]", "classes", CLASS_NAMES, Preprocessing.METADATA_KEY, PRE.toJson()));
        return file;
    }

    /** Zero weights and the given biases: the logits are exactly {@code bias} for every input. */
    static Path saveConstant(Path file, float... bias) {
        Sequential net = new Sequential(new Flatten(), new Linear(FEATURES, CLASSES));
        Map<String, Tensor> params = net.namedParameters();
        Arrays.fill(params.get("1.weight").array(), 0f);
        System.arraycopy(bias, 0, params.get("1.bias").array(), 0, CLASSES);
        ModelFile.save(file, net, Map.of("input_shape", "[1, 8, 8]", "classes", CLASS_NAMES));
        return file;
    }

    /** Logits of the model in {@code file} for one example, computed directly (preprocessing included). */
    static float[] directLogits(Path file, float[] example) {
        ModelFile.Loaded loaded = ModelFile.load(file);
        try (var _ = NoGrad.enter()) {
            return loaded.model().forward(PRE.apply(Tensor.fromArray(example, 1, 1, 8, 8))).toFloatArray();
        }
    }

    /** A deterministic example in [0, 1]. */
    static float[] example(int i) {
        float[] x = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) x[j] = ((i * 31 + j * 17) % 101) / 100f;
        return x;
    }
}
