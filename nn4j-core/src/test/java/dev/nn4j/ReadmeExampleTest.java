package dev.nn4j;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.sets.MnistSample;
import dev.nn4j.io.ModelFile;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps README.md's Java example compiling and working: its body is copied here with fewer epochs and a temporary output directory. */
class ReadmeExampleTest {

    static float readmeExample(int epochs, Path out) {
        Generator gen = new Generator(0);
        MnistSample.Split train = MnistSample.train(), test = MnistSample.test();   // [8000, 784] in [0, 1], labels [8000]
        Module model = new Sequential(new Linear(784, 256, true, gen), new ReLU(), new Linear(256, 10, true, gen));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Optimizer optimizer = new Adam(model.parameters(), 0.001);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Tensor order = Tensor.randperm(train.size(), gen);
            for (int at = 0; at < train.size(); at += 64) {
                Tensor idx = order.narrow(0, at, Math.min(64, train.size() - at));
                Tensor x = train.images().indexSelect(0, idx), y = train.labels().indexSelect(0, idx);
                optimizer.zeroGrad();
                Tensor loss = lossFn.forward(model.forward(x), y);
                loss.backward();
                optimizer.step();
            }
        }
        model.eval();
        float accuracy;
        try (var _ = NoGrad.enter()) {
            accuracy = model.forward(test.images()).argmax(1, false).eq(test.labels()).mean().item();
            System.out.printf("test accuracy %.2f%%%n", 100 * accuracy);
        }
        ModelFile.save(out.resolve("mlp.safetensors"), model, Map.of());   // architecture + weights in one file
        return accuracy;
    }

    @Test
    void readmeExampleTrainsTheSeedMlp(@TempDir Path dir) {
        float accuracy = readmeExample(1, dir);
        assertTrue(accuracy > 0.88f, "one epoch of the seed MLP reaches about 90% on the sample: " + accuracy);
        assertTrue(ModelFile.load(dir.resolve("mlp.safetensors")).model().toString().contains("Linear(in_features=784, out_features=256"));
    }
}
