package dev.nn4j.nn;

import dev.nn4j.Golden;
import dev.nn4j.autograd.GradCheck;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One line per layer configuration; each fans out to forward and backward against PyTorch (weights loaded by
 * PyTorch's state-dict names, so a wrong name fails the strict load), a gradient check, and the printed form.
 */
class LayerTableTest {
    record Case(String golden, Supplier<Module> layer) {
        @Override
        public String toString() {
            return golden;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("linear", () -> new Linear(5, 3)),
                new Case("linear_rank3_nobias", () -> new Linear(5, 3, false)),
                new Case("linear_rank1", () -> new Linear(5, 3)),
                new Case("sequential_mlp", () -> new Sequential(new Linear(6, 8), new ReLU(), new Linear(8, 4), new Tanh())),
                new Case("net_eval", () -> new Net().eval()),
                new Case("flatten", Flatten::new),
                new Case("flatten_0_2", () -> new Flatten(0, 2)),
                new Case("identity", Identity::new),
                new Case("dropout_eval", () -> new Dropout(0.4).eval()),
                new Case("relu", ReLU::new),
                new Case("leaky_relu", () -> new LeakyReLU(0.2f)),
                new Case("leaky_relu_default", LeakyReLU::new),
                new Case("elu", () -> new ELU(0.7f)),
                new Case("gelu", GELU::new),
                new Case("gelu_tanh", () -> new GELU("tanh")),
                new Case("silu", SiLU::new),
                new Case("sigmoid", Sigmoid::new),
                new Case("tanh", Tanh::new),
                new Case("softmax_dim1", () -> new Softmax(1)),
                new Case("softmax_dim0_rank3", () -> new Softmax(0)),
                new Case("log_softmax_last", () -> new LogSoftmax(-1)));
    }

    /** The module of {@code tools/goldens/layers.py}'s {@code Net}: named children and a nested Sequential. */
    static final class Net extends Module {
        final Linear fc1 = registerModule("fc1", new Linear(6, 5));
        final Sequential block = registerModule("block", new Sequential(new Linear(5, 4), new GELU(), new Dropout(0.3), new Linear(4, 4, false)));
        final Linear head = registerModule("head", new Linear(4, 3));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(block.forward(fc1.forward(x).tanh()));
        }
    }

    /** The golden's tensors that are not input, output or gradients: the PyTorch state dict. */
    static Map<String, Tensor> stateDict(Golden g) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (String name : g.names()) {
            if (!name.equals("input") && !name.equals("output") && !name.equals("upstream") && !name.startsWith("grad.")) sd.put(name, g.tensor(name));
        }
        return sd;
    }

    static Module loaded(Case c, Golden g) {
        Module m = c.layer().get();
        m.loadStateDict(stateDict(g)); // strict: the names must be exactly PyTorch's
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndBackwardMatchPyTorch(Case c) {
        Golden g = Golden.load("layers/" + c.golden());
        Module m = loaded(c, g);
        assertEquals(stateDict(g).keySet(), m.stateDict().keySet(), "state dict names and order");
        Tensor x = g.tensor("input").requiresGrad(true);
        Tensor y = m.forward(x);
        g.assertClose("output", y, 1e-5, 1e-4);
        y.backward(g.tensor("upstream"));
        g.assertClose("grad.input", x.grad(), 1e-5, 1e-4);
        m.namedParameters().forEach((name, p) -> g.assertClose("grad." + name, p.grad(), 1e-5, 1e-4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(Case c) {
        Golden g = Golden.load("layers/" + c.golden());
        Module m = loaded(c, g);
        Tensor x = g.tensor("input").requiresGrad(true);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("input", x);
        inputs.putAll(m.namedParameters());
        GradCheck.defaults().assertClose(() -> m.forward(x), inputs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsLikePyTorch(Case c) {
        Golden g = Golden.load("layers/" + c.golden());
        // nn4j adds parameter counts after '#' and a totals line, and has no in-place dropout
        String ours = c.layer().get().toString().replaceAll("  # [^\n]*", "").replaceAll("\nParameters: .*$", "");
        assertEquals(g.meta().get("repr").asText().replace(", inplace=False", ""), ours);
    }
}
