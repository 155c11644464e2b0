package dev.nn4j.train;

import dev.nn4j.data.DataLoader;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.nn.Dropout;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small synthetic data and models shared by the trainer tests: fast, seeded, learnable. */
final class Fixtures {
    static final int FEATURES = 4, CLASSES = 3;

    private Fixtures() {}

    /** {@code n} points around three class centres in 4-D (label = class), with Gaussian noise. */
    static TensorDataset blobs(int n, long seed) {
        Generator gen = new Generator(seed);
        float[][] centres = {{2, 0, 0, 1}, {0, 2, 0, -1}, {0, 0, 2, 0}};
        float[] x = new float[n * FEATURES], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            y[i] = c;
            for (int f = 0; f < FEATURES; f++) x[i * FEATURES + f] = centres[c][f] + (float) (0.8 * gen.nextGaussian());
        }
        return new TensorDataset(Tensor.fromArray(x, n, FEATURES), Tensor.fromArray(y, n));
    }

    /** 4 → 16 → ReLU → Dropout(0.25) → 3, initialised and dropped from {@code gen}. */
    static Module mlp(Generator gen) {
        return new Sequential(new Linear(FEATURES, 16, true, gen), new ReLU(), new Dropout(0.25, gen), new Linear(16, CLASSES, true, gen));
    }

    static DataLoader shuffled(TensorDataset data, int batchSize, Generator gen) {
        return new DataLoader(data, batchSize, true, false, gen);
    }

    /** Deep copies of a module's state dict. */
    static Map<String, float[]> weights(Module m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** Every call, in order, as "name epoch batch" strings: the trace of a run. */
    static final class Recorder implements Callback {
        final List<String> calls = new ArrayList<>();
        final List<BatchProgress> batches = new ArrayList<>();

        @Override
        public void onTrainBegin(Trainer t) {
            calls.add("trainBegin " + t.epoch());
        }

        @Override
        public void onEpochBegin(Trainer t, int epoch) {
            calls.add("epochBegin " + epoch);
        }

        @Override
        public void onBatchEnd(Trainer t, BatchProgress p) {
            calls.add("batchEnd " + p.epoch() + " " + p.batch());
            batches.add(p);
        }

        @Override
        public void onEpochEnd(Trainer t, int epoch, Map<String, Double> metrics) {
            calls.add("epochEnd " + epoch);
        }

        @Override
        public void onTrainEnd(Trainer t, History h) {
            calls.add("trainEnd " + h.epochs().size());
        }
    }
}
