package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.autograd.NoGrad;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole stack together: layers, loss, autograd and optimizer, trained as a user would. */
class TrainingEndToEndTest {
    private final CrossEntropyLoss crossEntropy = new CrossEntropyLoss();

    /** Full-batch steps; returns the loss of every step. */
    private float[] train(Module model, Optimizer opt, Tensor x, Tensor y, int steps) {
        float[] losses = new float[steps];
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Tensor loss = crossEntropy.forward(model.forward(x), y);
            loss.backward();
            opt.step();
            losses[i] = loss.item();
        }
        return losses;
    }

    private static float accuracy(Module model, Tensor x, Tensor y) {
        try (var _ = NoGrad.enter()) {
            return model.forward(x).argmax(1, false).eq(y).mean().item();
        }
    }

    @Test
    void mlpTrainingFollowsPyTorchsLossTrajectoryStepByStep() {
        Golden g = Golden.load("e2e/mlp_adam_trajectory");
        Module model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 3));
        Map<String, Tensor> init = new LinkedHashMap<>();
        for (String name : model.stateDict().keySet()) init.put(name, g.tensor("init." + name));
        model.loadStateDict(init);

        float[] losses = train(model, new Adam(model.parameters(), 0.01), g.tensor("x"), g.tensor("y"), 15);

        Golden.assertClose(g.tensor("losses"), Tensor.fromArray(losses, 15), 1e-6, 1e-5, "losses");
        model.stateDict().forEach((name, value) -> g.assertClose("final." + name, value, 1e-6, 1e-4));
    }

    @Test
    void tinyMlpOverfitsOneBatch() {
        Generator gen = new Generator(11);
        Tensor x = Tensor.randn(gen, 16, 20), y = Tensor.randint(0, 10, new int[] {16}, gen);
        Module model = new Sequential(new Linear(20, 32, true, gen), new ReLU(), new Linear(32, 10, true, gen));
        float[] losses = train(model, new Adam(model.parameters(), 0.01), x, y, 300);
        assertTrue(losses[0] > 1.5f, "starts near ln 10: " + losses[0]);
        assertTrue(losses[299] < 0.01f, "memorised: " + losses[299]);
        assertEquals(1f, accuracy(model, x, y));
    }

    /** Two interleaved spirals: linearly inseparable, so only a non-linear model can fit them. */
    private static Tensor[] spirals(int perClass, Generator gen) {
        float[] points = new float[2 * perClass * 2], labels = new float[2 * perClass];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < perClass; i++) {
                double r = (double) i / perClass * 5 + 0.5;
                double t = 1.75 * i / perClass * 2 * Math.PI + c * Math.PI;
                int k = c * perClass + i;
                points[2 * k] = (float) (r * Math.cos(t) + 0.05 * gen.nextGaussian());
                points[2 * k + 1] = (float) (r * Math.sin(t) + 0.05 * gen.nextGaussian());
                labels[k] = c;
            }
        }
        return new Tensor[] {Tensor.fromArray(points, 2 * perClass, 2), Tensor.fromArray(labels, 2 * perClass)};
    }

    @Test
    void mlpLearnsTwoSpiralsWhileALinearModelCannot() {
        Generator gen = new Generator(5);
        Tensor[] data = spirals(150, gen);
        Module mlp = new Sequential(new Linear(2, 64, true, gen), new Tanh(), new Linear(64, 64, true, gen), new Tanh(), new Linear(64, 2, true, gen));
        train(mlp, new Adam(mlp.parameters(), 0.01), data[0], data[1], 600);
        Module linear = new Linear(2, 2, true, gen);
        train(linear, new Adam(linear.parameters(), 0.01), data[0], data[1], 600);

        float mlpAccuracy = accuracy(mlp, data[0], data[1]), linearAccuracy = accuracy(linear, data[0], data[1]);
        assertTrue(mlpAccuracy > 0.97f, "MLP accuracy " + mlpAccuracy);
        assertTrue(linearAccuracy < 0.75f, "a linear model cannot separate spirals: " + linearAccuracy);
    }

    /** Mini-batch training with shuffling and dropout, all driven by one seed. */
    private float[] seededRun(long seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(gen, 96, 12), y = Tensor.randint(0, 4, new int[] {96}, gen);
        Module model = new Sequential(new Linear(12, 24, true, gen), new ReLU(), new Dropout(0.3, gen), new Linear(24, 4, true, gen));
        Optimizer opt = new Adam(model.parameters(), 0.005);
        float[] losses = new float[3 * 6];
        for (int epoch = 0, k = 0; epoch < 3; epoch++) {
            Tensor order = Tensor.randperm(96, gen);
            for (int at = 0; at < 96; at += 16, k++) {
                Tensor idx = order.narrow(0, at, 16);
                opt.zeroGrad();
                Tensor loss = crossEntropy.forward(model.forward(x.indexSelect(0, idx)), y.indexSelect(0, idx));
                loss.backward();
                opt.step();
                losses[k] = loss.item();
            }
        }
        return losses;
    }

    @Test
    void sameSeedGivesBitIdenticalLossesAndAnotherSeedDoesNot() {
        float[] first = seededRun(2026), second = seededRun(2026), other = seededRun(2027);
        assertArrayEquals(first, second);
        assertTrue(first[0] != other[0], "a different seed changes the run");
    }
}
