package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The error table: each misuse throws {@link IllegalArgumentException} whose message names the loss and the values involved. */
class LossErrorMessagesTest {

    private static Tensor logits(int... shape) {
        return Tensor.zeros(shape);
    }

    static Stream<Arguments> errors() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        return Stream.of(
                row("CE target batch differs", () -> ce.forward(logits(4, 3), Tensor.zeros(5)),
                        "CrossEntropyLoss", "input shape [4, 3]", "target shape [5]", "[4]"),
                row("CE spatial target differs", () -> ce.forward(logits(2, 3, 4), Tensor.zeros(2, 5)),
                        "CrossEntropyLoss", "[2, 3, 4]", "[2, 5]", "need shape [2, 4]"),
                row("CE target has the input's rank but not its shape", () -> ce.forward(logits(2, 3), Tensor.zeros(2, 4)),
                        "[2, 3]", "[2, 4]", "class-probability targets"),
                row("CE class index not an integer", () -> ce.forward(logits(2, 3), Tensor.of(0f, 1.5f)),
                        "CrossEntropyLoss", "1.5", "not an integer"),
                row("CE class index NaN", () -> ce.forward(logits(2, 3), Tensor.of(Float.NaN, 1f)), "NaN", "not an integer"),
                row("CE class index = C", () -> ce.forward(logits(2, 3), Tensor.of(0f, 3f)),
                        "class index 3 ", "[0, 3)", "C = 3"),
                row("CE negative class index that is not ignoreIndex", () -> ce.forward(logits(2, 3), Tensor.of(-1f, 0f)),
                        "class index -1 ", "C = 3", "ignoreIndex is -100"),
                row("CE weight of wrong length", () -> ce.withWeight(Tensor.ones(2)).forward(logits(2, 3), Tensor.of(0f, 1f)),
                        "CrossEntropyLoss", "weight", "C = 3", "[2]"),
                row("CE weight of wrong length, probability targets", () -> ce.withWeight(Tensor.ones(4)).forward(logits(2, 3), Tensor.zeros(2, 3)),
                        "weight", "C = 3", "[4]"),
                row("CE weight not 1-D", () -> ce.withWeight(Tensor.ones(3, 1)), "CrossEntropyLoss", "weight", "[3, 1]"),
                row("CE ignoreIndex with probability targets", () -> ce.withIgnoreIndex(0).forward(logits(2, 3), Tensor.zeros(2, 3)),
                        "ignoreIndex (0)", "class-probability"),
                row("CE label smoothing above 1", () -> ce.withLabelSmoothing(1.5f), "labelSmoothing", "1.5"),
                row("CE label smoothing negative", () -> ce.withLabelSmoothing(-0.1f), "labelSmoothing", "-0.1"),
                row("CE scalar input", () -> ce.forward(Tensor.scalar(1f), Tensor.scalar(0f)), "class dimension"),
                row("CE null reduction", () -> ce.withReduction(null), "reduction"),
                row("NLL target shape", () -> new NLLLoss().forward(logits(3, 2), Tensor.zeros(2)), "NLLLoss", "[3, 2]", "[2]"),
                row("NLL class index out of range", () -> new NLLLoss().forward(logits(2, 4), Tensor.of(7f, 0f)),
                        "NLLLoss", "class index 7 ", "C = 4"),
                row("NLL weight of wrong length", () -> new NLLLoss().withWeight(Tensor.ones(5)).forward(logits(2, 4), Tensor.of(1f, 0f)),
                        "NLLLoss", "C = 4", "[5]"),
                row("MSE shapes", () -> new MSELoss().forward(Tensor.zeros(2, 3), Tensor.zeros(3)), "MSELoss", "[2, 3]", "[3]"),
                row("L1 shapes", () -> new L1Loss().forward(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), "L1Loss", "[2, 3]", "[3, 2]"),
                row("SmoothL1 shapes", () -> new SmoothL1Loss().forward(Tensor.zeros(4), Tensor.zeros(4, 1)), "SmoothL1Loss", "[4]", "[4, 1]"),
                row("SmoothL1 negative beta", () -> new SmoothL1Loss(-1f), "SmoothL1Loss", "beta", "-1"),
                row("Huber shapes", () -> new HuberLoss().forward(Tensor.zeros(1), Tensor.zeros(2)), "HuberLoss", "[1]", "[2]"),
                row("Huber zero delta", () -> new HuberLoss(0f), "HuberLoss", "delta", "0"),
                row("BCE input above 1", () -> new BCELoss().forward(Tensor.of(0.5f, 1.5f), Tensor.of(0f, 1f)),
                        "BCELoss", "input", "[0, 1]", "1.5"),
                row("BCE input negative", () -> new BCELoss().forward(Tensor.of(-0.25f), Tensor.of(0f)), "input", "-0.25"),
                row("BCE input NaN", () -> new BCELoss().forward(Tensor.of(Float.NaN), Tensor.of(0f)), "input", "NaN"),
                row("BCE target above 1", () -> new BCELoss().forward(Tensor.of(0.5f), Tensor.of(2f)), "BCELoss", "target", "2.0"),
                row("BCE target negative", () -> new BCELoss().forward(Tensor.of(0.5f), Tensor.of(-1f)), "target", "-1.0"),
                row("BCE shapes", () -> new BCELoss().forward(Tensor.zeros(2, 2), Tensor.zeros(4)), "BCELoss", "[2, 2]", "[4]"),
                row("BCE weight does not broadcast", () -> new BCELoss().withWeight(Tensor.ones(3)).forward(Tensor.zeros(2, 4), Tensor.zeros(2, 4)),
                        "BCELoss", "weight", "[3]", "[2, 4]"),
                row("BCEWithLogits shapes", () -> new BCEWithLogitsLoss().forward(Tensor.zeros(3), Tensor.zeros(1, 3)),
                        "BCEWithLogitsLoss", "[3]", "[1, 3]"),
                row("BCEWithLogits posWeight does not broadcast", () -> new BCEWithLogitsLoss().withPosWeight(Tensor.ones(3))
                        .forward(Tensor.zeros(2, 4), Tensor.zeros(2, 4)), "BCEWithLogitsLoss", "posWeight", "[3]", "[2, 4]"),
                row("BCEWithLogits weight would enlarge the input", () -> new BCEWithLogitsLoss().withWeight(Tensor.ones(3, 2, 4))
                        .forward(Tensor.zeros(2, 4), Tensor.zeros(2, 4)), "weight", "[3, 2, 4]", "[2, 4]"));
    }

    private static Arguments row(String what, Executable call, String... fragments) {
        return arguments(what, call, fragments);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void misuseFailsWithAMessageNamingTheValuesInvolved(String what, Executable call, String[] fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, what);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
    }

    @Test
    void ignoreIndexIsAcceptedWhereverItLies() {
        // −1 and 7 are outside [0, C), 0 inside: all are ignored rather than rejected
        Tensor x = Tensor.fromArray(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3);
        for (int ignore : new int[] {-1, 7, 0}) {
            Tensor loss = new CrossEntropyLoss().withIgnoreIndex(ignore).forward(x, Tensor.of(ignore, 2f));
            assertEquals(Math.log(Math.exp(-2) + Math.exp(-1) + 1), loss.item(), 1e-6, "ignoreIndex " + ignore);
            assertEquals(loss.item(), new NLLLoss().withIgnoreIndex(ignore).forward(x.logSoftmax(1), Tensor.of(ignore, 2f)).item(), 1e-6);
        }
    }
}
