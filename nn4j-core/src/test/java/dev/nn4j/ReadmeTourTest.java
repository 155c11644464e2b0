package dev.nn4j;

import dev.nn4j.autograd.GradCheck;
import dev.nn4j.autograd.NoGrad;
import dev.nn4j.io.ModelFile;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.loss.Loss;
import dev.nn4j.nn.Dropout;
import dev.nn4j.nn.GELU;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.Sequential;
import dev.nn4j.optim.AdamW;
import dev.nn4j.optim.ClipGrad;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.Regularization;
import dev.nn4j.optim.schedule.CosineAnnealingLR;
import dev.nn4j.optim.schedule.LrScheduler;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** README.md's API tour, copied verbatim except that the model file goes to a temporary directory. */
class ReadmeTourTest {
    @TempDir
    Path cwd;

    @Test
    void tourRunsAsWritten() {
        // Tensors: float32, any rank, NumPy broadcasting, views that share storage
        Tensor a = Tensor.arange(6).reshape(2, 3);            // tensor([[0., 1., 2.], [3., 4., 5.]])
        Tensor b = Tensor.randn(new Generator(42), 3, 4);     // seeded, reproducible across runs
        Tensor c = a.matmul(b).relu().add(Tensor.of(1, 2, 3, 4)).softmax(-1);

        // Autograd: define-by-run, gradients accumulate on leaves
        Tensor w = Tensor.randn(3, 1).requiresGrad(true);
        Tensor loss = a.matmul(w).pow(2).mean();
        loss.backward();                                       // w.grad() now holds dloss/dw
        try (var _ = NoGrad.enter()) { /* inference: no graph is recorded */ }
        GradCheck.check(in -> in[0].tanh().sum(), w);           // analytic vs central differences

        // Layers: PyTorch names, state dicts, train/eval, freezing
        Module net = new Sequential(new Linear(784, 128), new GELU(), new Dropout(0.2), new Linear(128, 10));
        net.namedParameters().keySet();                        // [0.weight, 0.bias, 3.weight, 3.bias]
        ((Sequential) net).get(0).requiresGrad(false);         // freeze the first layer for fine-tuning

        // Losses, optimizers, schedules, regularisation, clipping
        Loss ce = new CrossEntropyLoss().withLabelSmoothing(0.1f);
        Optimizer opt = new AdamW(net.parameters(), 1e-3);
        LrScheduler schedule = new CosineAnnealingLR(opt, 100);
        Tensor penalty = Regularization.l2(net.parameters(), 1e-4);
        ClipGrad.clipGradNorm(net.parameters(), 1.0);

        // Model files: safetensors, readable by any safetensors reader; one file rebuilds the model
        ModelFile.save(cwd.resolve("net.safetensors"), net, Map.of("epochs", "10"));
        Module again = ModelFile.load(cwd.resolve("net.safetensors")).model();
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), List.copyOf(net.namedParameters().keySet()));
        assertFalse(((Sequential) net).get(0).parameters().getFirst().requiresGrad());
        assertEquals(net.stateDict().keySet(), again.stateDict().keySet());
    }
}
