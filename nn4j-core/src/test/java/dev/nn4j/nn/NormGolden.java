package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test helper for the normalisation and embedding layers: loads a {@code golden/layers/norm_*} file recorded by
 * {@code tools/goldens/layers_norm.py} and checks a module's forward and backward against it by state-dict name.
 */
final class NormGolden {
    static final double ATOL = 1e-5, RTOL = 1e-4;

    private NormGolden() {
    }

    /** The module's state dict taken from the golden tensors named {@code prefix + key}. */
    static void loadState(Module m, Golden g, String prefix) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String key : m.stateDict().keySet()) state.put(key, g.tensor(prefix + key));
        m.loadStateDict(state);
    }

    /** Forward of {@code input}, compared with {@code output}; backward of {@code upstream}, compared with every {@code grad.*}. */
    static void checkForwardBackward(Module m, Golden g) {
        checkRepr(m, g);
        Tensor x = g.tensor("input").requiresGrad(true);
        Tensor y = m.forward(x);
        Golden.assertClose(g.tensor("output"), y, ATOL, RTOL, "output");
        y.backward(g.tensor("upstream"));
        Golden.assertClose(g.tensor("grad.input"), x.grad(), ATOL, RTOL, "grad.input");
        m.namedParameters().forEach((name, p) -> Golden.assertClose(g.tensor("grad." + name), p.grad(), ATOL, RTOL, "grad." + name));
    }

    /** {@code m.toString()} without nn4j's parameter counts equals PyTorch's {@code repr} recorded in the golden's meta. */
    static void checkRepr(Module m, Golden g) {
        assertEquals(g.meta().get("repr").asText(), m.toString().replaceAll("  # [^\n]*", ""));
    }

    /** Every state-dict entry of {@code m} equals the golden tensor {@code prefix + name}. */
    static void checkState(Module m, Golden g, String prefix) {
        m.stateDict().forEach((name, t) -> Golden.assertClose(g.tensor(prefix + name), t, ATOL, RTOL, prefix + name));
    }
}
