package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared checks for the convolution and pooling tests: PyTorch goldens from tools/goldens/layers_conv.py, and gradient checks. */
final class ConvGoldens {
    private ConvGoldens() {}

    /** Loads golden/layers/conv_{@code name}, copies its parameters into {@code m} by state-dict name, and compares output and gradients. */
    static void matchesPyTorch(Module m, String name) {
        Golden golden = Golden.load("layers/conv_" + name);
        var missing = m.loadStateDict(Map.copyOf(paramsOf(golden, m)));
        assertTrue(missing.isEmpty(), name + ": " + missing);
        Tensor x = golden.tensor("x").requiresGrad(true);
        Tensor out = m.forward(x);
        golden.assertClose("out", out, 1e-5, 1e-4);
        m.zeroGrad();
        out.backward(golden.tensor("gout"));
        golden.assertClose("grad_x", x.grad(), 1e-4, 1e-3);
        m.namedParameters().forEach((p, t) -> golden.assertClose("grad_" + p, t.grad(), 1e-4, 1e-3));
    }

    private static Map<String, Tensor> paramsOf(Golden golden, Module m) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String p : m.namedParameters().keySet()) params.put(p, golden.tensor(p));
        return params;
    }

    /** Central-difference check of {@code sum(forward(x) · r)} with respect to {@code x} and every parameter of {@code m}. */
    static void gradCheck(Module m, int... xShape) {
        Generator gen = new Generator(42);
        Tensor x = Tensor.randn(gen, xShape).requiresGrad(true);
        Tensor r = Tensor.randn(gen, m.forward(x).shape());
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", x);
        inputs.putAll(m.namedParameters());
        GradCheck.defaults().assertClose(() -> m.forward(x).mul(r).sum(), inputs);
    }
}
