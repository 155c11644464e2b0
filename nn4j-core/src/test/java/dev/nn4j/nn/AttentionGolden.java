package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test helper for the attention layers: loads a {@code golden/layers/attn_*} case (written by
 * {@code tools/goldens/layers_attn.py}) into a module by state-dict name, runs it, and compares the outputs and the
 * gradients of {@code L = Σ output⊙up.output (+ Σ weights⊙up.weights)} with PyTorch's, inputs and parameters by name.
 */
final class AttentionGolden {
    static final double ATOL = 1e-5, RTOL = 1e-4;
    static final List<String> INPUTS = List.of("input", "query", "key", "value");

    /** What a case gives the module under test: the golden inputs (as leaves requiring grad) and masks. */
    record Case(Golden golden, Map<String, Tensor> inputs, Tensor attnMask, Tensor keyPaddingMask, boolean isCausal) {
    }

    private AttentionGolden() {
    }

    /**
     * Loads the case's state dict into {@code module} (whose parameter names must equal the golden's), runs
     * {@code run}, which returns the named outputs ({@code output}, optionally {@code weights}), and checks values and gradients.
     */
    static void assertMatches(String name, Module module, Function<Case, Map<String, Tensor>> run) {
        Golden g = Golden.load("layers/" + name);
        TreeSet<String> goldenParams = new TreeSet<>();
        for (String n : g.names()) {
            if (n.startsWith("grad.") && !INPUTS.contains(n.substring(5))) goldenParams.add(n.substring(5));
        }
        assertEquals(goldenParams, new TreeSet<>(module.namedParameters().keySet()), name + ": parameter names");
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : module.stateDict().keySet()) state.put(k, g.tensor(k));
        module.loadStateDict(state);

        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (String n : INPUTS) if (g.has(n)) inputs.put(n, g.tensor(n).requiresGrad(true));
        Case c = new Case(g, inputs, g.has("attn_mask") ? g.tensor("attn_mask") : null,
                g.has("key_padding_mask") ? g.tensor("key_padding_mask") : null, g.meta().path("is_causal").asBoolean());
        Map<String, Tensor> outputs = run.apply(c);

        List<String> expectedOutputs = new ArrayList<>();
        for (String n : g.names()) if (n.startsWith("up.")) expectedOutputs.add(n.substring(3));
        assertEquals(new TreeSet<>(expectedOutputs), new TreeSet<>(outputs.keySet()), name + ": outputs");
        Tensor loss = null;
        for (String k : expectedOutputs) {
            Golden.assertClose(g.tensor(k), outputs.get(k), ATOL, RTOL, name + " " + k);
            Tensor term = outputs.get(k).mul(g.tensor("up." + k)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        inputs.forEach((k, x) -> Golden.assertClose(g.tensor("grad." + k), x.grad(), ATOL, RTOL, name + " grad." + k));
        module.namedParameters().forEach((k, p) -> Golden.assertClose(g.tensor("grad." + k), p.grad(), ATOL, RTOL, name + " grad." + k));
    }
}
