package dev.nn4j.loss;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Replays the PyTorch cases of {@code tools/goldens/losses.py}: builds the loss its meta describes, runs it on
 * the recorded input and target, back-propagates the recorded upstream gradient, and compares the loss and the
 * input (and target) gradients.
 */
final class LossGoldens {
    /** float32 on both sides with the same formulas; the slack covers summation order and exp/log rounding. */
    static final double ATOL = 2e-5, RTOL = 2e-5;

    private LossGoldens() {}

    /** The recorded case names whose meta names {@code loss} and whose name passes {@code filter}. */
    static List<String> cases(String loss, Predicate<String> filter) {
        List<String> names = new ArrayList<>();
        for (JsonNode n : Golden.load("losses/index").meta().get("cases")) {
            String name = n.asText();
            if (filter.test(name) && Golden.load("losses/" + name).meta().get("loss").asText().equals(loss)) names.add(name);
        }
        if (names.isEmpty()) throw new IllegalStateException("no golden cases for " + loss);
        return names;
    }

    static List<String> cases(String loss) {
        return cases(loss, n -> true);
    }

    /** The loss with the options recorded in the case's meta and tensors. */
    static Loss build(Golden g) {
        JsonNode m = g.meta();
        Reduction r = Reduction.valueOf(m.get("reduction").asText().toUpperCase());
        Tensor w = g.has("weight") ? g.tensor("weight") : null;
        return switch (m.get("loss").asText()) {
            case "CrossEntropyLoss" -> new CrossEntropyLoss(w, m.get("ignoreIndex").asInt(), r, (float) m.get("labelSmoothing").asDouble());
            case "NLLLoss" -> new NLLLoss(w, m.get("ignoreIndex").asInt(), r);
            case "MSELoss" -> new MSELoss(r);
            case "L1Loss" -> new L1Loss(r);
            case "SmoothL1Loss" -> new SmoothL1Loss(r, (float) m.get("beta").asDouble());
            case "HuberLoss" -> new HuberLoss(r, (float) m.get("delta").asDouble());
            case "BCELoss" -> new BCELoss(w, r);
            case "BCEWithLogitsLoss" -> new BCEWithLogitsLoss(w, r, g.has("posWeight") ? g.tensor("posWeight") : null);
            default -> throw new IllegalArgumentException("unknown loss in golden meta: " + m);
        };
    }

    /** Compares value, {@code grad.input} and (when recorded) {@code grad.target} of one case with PyTorch's. */
    static void assertMatchesPyTorch(String name) {
        Golden g = Golden.load("losses/" + name);
        Tensor input = g.tensor("input").requiresGrad(g.has("grad.input"));
        Tensor target = g.tensor("target").requiresGrad(g.has("grad.target"));
        Tensor loss = build(g).forward(input, target);
        g.assertClose("loss", loss, ATOL, RTOL);
        if (!input.requiresGrad() && !target.requiresGrad()) return;
        if (g.has("grad.output")) loss.backward(g.tensor("grad.output"));
        else loss.backward();
        if (input.requiresGrad()) g.assertClose("grad.input", input.grad(), ATOL, RTOL);
        else assertNull(input.grad());
        if (target.requiresGrad()) g.assertClose("grad.target", target.grad(), ATOL, RTOL);
    }
}
