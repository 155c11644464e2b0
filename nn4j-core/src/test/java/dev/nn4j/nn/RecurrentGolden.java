package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Test helper for the recurrent layers: loads a {@code golden/layers/rnn_*} case (written by
 * {@code tools/goldens/layers_rnn.py}) into a layer by state-dict name, and compares the forward values and the
 * gradients of {@code L = Σ output⊙up.output + Σ h_n⊙up.h_n (+ Σ c_n⊙up.c_n)} with PyTorch's.
 */
final class RecurrentGolden {
    private RecurrentGolden() {
    }

    /** Runs the case through {@code layer} (built with the same options) and asserts every value and gradient. */
    static void assertMatches(String name, RNNBase layer) {
        Golden g = Golden.load("layers/" + name);
        // the golden's parameter gradients name exactly the layer's parameters, in PyTorch's naming
        TreeSet<String> goldenParams = new TreeSet<>();
        for (String n : g.names()) {
            if (n.startsWith("grad.") && !List.of("grad.input", "grad.h0", "grad.c0").contains(n)) goldenParams.add(n.substring(5));
        }
        assertEquals(goldenParams, new TreeSet<>(layer.namedParameters().keySet()), name + ": parameter names");
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : layer.stateDict().keySet()) state.put(k, g.tensor(k));
        layer.loadStateDict(state);

        Tensor x = g.tensor("input").requiresGrad(true);
        Tensor h0 = g.has("h0") ? g.tensor("h0").requiresGrad(true) : null;
        Tensor c0 = g.has("c0") ? g.tensor("c0").requiresGrad(true) : null;
        RNNOutput out = switch (layer) {
            case LSTM l -> l.forward(x, h0, c0);
            case GRU l -> l.forward(x, h0);
            case RNN l -> l.forward(x, h0);
        };
        Golden.assertClose(g.tensor("output"), out.output(), 1e-5, 1e-4, name + " output");
        Golden.assertClose(g.tensor("h_n"), out.hN(), 1e-5, 1e-4, name + " h_n");
        if (g.has("c_n")) Golden.assertClose(g.tensor("c_n"), out.cN(), 1e-5, 1e-4, name + " c_n");
        else assertNull(out.cN(), name + ": cN only for LSTM");

        Tensor loss = out.output().mul(g.tensor("up.output")).sum().add(out.hN().mul(g.tensor("up.h_n")).sum());
        if (g.has("c_n")) loss = loss.add(out.cN().mul(g.tensor("up.c_n")).sum());
        loss.backward();
        Golden.assertClose(g.tensor("grad.input"), x.grad(), 1e-5, 1e-4, name + " grad.input");
        if (h0 != null) Golden.assertClose(g.tensor("grad.h0"), h0.grad(), 1e-5, 1e-4, name + " grad.h0");
        if (c0 != null) Golden.assertClose(g.tensor("grad.c0"), c0.grad(), 1e-5, 1e-4, name + " grad.c0");
        layer.namedParameters().forEach((k, p) -> Golden.assertClose(g.tensor("grad." + k), p.grad(), 1e-5, 1e-4, name + " grad." + k));
    }

    /**
     * Central-difference check of the gradients with respect to the input, the initial states and every parameter,
     * through output, hN and cN together (their flattened concatenation).
     */
    static void assertGradientsCheck(RNNBase layer, int[] inputShape, int[] stateShape) {
        Generator gen = new Generator(99);
        Tensor x = Tensor.randn(gen, inputShape).requiresGrad(true);
        Tensor h0 = Tensor.randn(gen, stateShape).requiresGrad(true);
        Tensor c0 = Tensor.randn(gen, stateShape).requiresGrad(true);
        boolean lstm = layer instanceof LSTM;
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("input", x);
        inputs.put("h0", h0);
        if (lstm) inputs.put("c0", c0);
        inputs.putAll(layer.namedParameters());
        GradCheck.defaults().assertClose(() -> {
            RNNOutput o = layer.run(x, h0, lstm ? c0 : null);
            Tensor all = Tensor.cat(0, o.output().reshape(-1), o.hN().reshape(-1));
            return lstm ? Tensor.cat(0, all, o.cN().reshape(-1)) : all;
        }, inputs);
    }
}
