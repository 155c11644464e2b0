package dev.nn4j.optim.schedule;

import dev.nn4j.Golden;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.ParamGroup;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Tensor;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test fixture for schedules: the optimizers of tools/goldens/optim.py (two groups with lr 0.1 and 0.02) and a
 * comparison of the learning rates (golden {@code lr}: [steps, groups]) after construction and each step.
 */
final class ScheduleGolden {
    private ScheduleGolden() {}

    static List<ParamGroup> groups() {
        return List.of(new ParamGroup(List.of(Tensor.zeros(2).requiresGrad(true))).set("lr", 0.1),
                new ParamGroup(List.of(Tensor.zeros(3).requiresGrad(true))).set("lr", 0.02));
    }

    static Sgd sgd() {
        return new Sgd(groups(), 0.1, 0.9, 0, 0, false, false);
    }

    static Adam adam() {
        return new Adam(groups(), 0.1, 0.9, 0.999, 1e-8, 0, false);
    }

    /**
     * Compares {@code lastLr()} (and, when {@code momentumOption} is given, that group option) with row k of the
     * golden after k steps: {@code |a − e| ≤ 1e-10 + 1e-6·|e|}.
     */
    static void assertMatches(String name, Optimizer opt, Supplier<double[]> lastLr, Consumer<Integer> step, String momentumOption) {
        Golden g = Golden.load("optim/schedule_" + name);
        Tensor lr = g.tensor("lr");
        Tensor momentum = momentumOption == null ? null : g.tensor("momentum");
        for (int k = 0; k < lr.size(0); k++) {
            if (k > 0) {
                opt.step();
                step.accept(k - 1);
            }
            double[] actual = lastLr.get();
            assertEquals(lr.size(1), actual.length);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(actual[i], opt.lr(i), name + ": lastLr and the optimizer disagree at step " + k);
                assertClose(lr.get(k, i), actual[i], name + " lr of group " + i + " after " + k + " steps");
                if (momentum != null) assertClose(momentum.get(k, i), opt.paramGroups().get(i).get(momentumOption), name + " momentum of group " + i + " after " + k + " steps");
            }
        }
    }

    static void assertMatches(String name, LrScheduler s) {
        assertMatches(name, s.optimizer, s::lastLr, k -> s.step(), null);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-10 + 1e-6 * Math.abs(expected), what);
    }
}
