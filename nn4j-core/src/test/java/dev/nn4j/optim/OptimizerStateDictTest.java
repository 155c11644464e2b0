package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerStateDictTest {

    static Stream<Named<Function<Regression, Optimizer>>> optimizers() {
        return Stream.of(
                Named.of("Sgd nesterov", r -> new Sgd(r.params(), 0.05, 0.9, 0, 0.01, true, false)),
                Named.of("Sgd groups", r -> new Sgd(r.groups(new ParamGroup(List.of(r.b)).set("lr", 0.01).set("momentum", 0.5)), 0.1, 0.9, 0.1, 0, false, false)),
                Named.of("Adam amsgrad", r -> new Adam(r.params(), 0.013, 0.8, 0.99, 1e-7, 0.1, true)),
                Named.of("AdamW", r -> new AdamW(r.params(), 0.1)),
                Named.of("RMSprop centered momentum", r -> new RMSprop(r.params(), 0.01, 0.9, 1e-6, 0.01, 0.8, true)),
                Named.of("Adagrad lr decay", r -> new Adagrad(r.params(), 0.1, 0.07, 0.01, 0.1, 1e-10)));
    }

    private static float[][] snapshot(Regression r) {
        return new float[][] {r.w.toFloatArray(), r.b.toFloatArray()};
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void resumingFromTheStateDictContinuesBitIdentically(Function<Regression, Optimizer> make) {
        Regression straight = new Regression("sgd_plain");
        Optimizer a = make.apply(straight);
        for (int i = 0; i < 10; i++) straight.step(a);

        Regression first = new Regression("sgd_plain");
        Optimizer b = make.apply(first);
        for (int i = 0; i < 5; i++) first.step(b);
        Map<String, Tensor> dict = b.stateDict();
        float[][] weights = snapshot(first);

        Regression resumed = new Regression("sgd_plain");
        resumed.w.copyFrom(Tensor.fromArray(weights[0], 3, 4));
        resumed.b.copyFrom(Tensor.fromArray(weights[1], 3));
        Optimizer c = make.apply(resumed);
        c.loadStateDict(dict);
        for (Tensor t : dict.values()) t.fill(Float.NaN);  // the optimizer must have copied what it loaded
        for (int i = 0; i < 5; i++) resumed.step(c);

        float[][] expected = snapshot(straight), actual = snapshot(resumed);
        assertArrayEquals(expected[0], actual[0], "W after 5 + 5 steps");
        assertArrayEquals(expected[1], actual[1], "b after 5 + 5 steps");
    }

    @Test
    void stateDictUsesPyTorchNamesAndScalarTensors() {
        Regression r = new Regression("sgd_plain");
        Adam opt = new Adam(r.params(), 0.01, 0.9, 0.999, 1e-8, 0, true);
        r.step(opt);
        r.step(opt);
        Map<String, Tensor> d = opt.stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq",
                "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2", "param_groups.0.eps",
                "param_groups.0.weight_decay", "param_groups.0.amsgrad", "param_groups.0.params"), List.copyOf(d.keySet()));
        assertEquals(0, d.get("state.1.step").dim());
        assertEquals(2f, d.get("state.1.step").item());
        assertArrayEquals(new int[] {3, 4}, d.get("state.0.exp_avg").shape());
        assertEquals(1f, d.get("param_groups.0.amsgrad").item());
        assertArrayEquals(new float[] {0, 1}, d.get("param_groups.0.params").toFloatArray());
        // a snapshot, not a view of the live state
        d.get("state.0.exp_avg").fill(7f);
        assertTrue(opt.state(r.w).get("exp_avg").get(0, 0) != 7f);
    }

    @Test
    void sgdWithoutMomentumHasNoBuffers() {
        Regression r = new Regression("sgd_plain");
        Sgd opt = new Sgd(r.params(), 0.1);
        r.step(opt);
        assertEquals(List.of("param_groups.0.lr", "param_groups.0.momentum", "param_groups.0.dampening", "param_groups.0.weight_decay",
                "param_groups.0.nesterov", "param_groups.0.maximize", "param_groups.0.params"), List.copyOf(opt.stateDict().keySet()));
    }

    private static String loadError(Optimizer opt, Map<String, Tensor> dict) {
        return assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(dict)).getMessage();
    }

    @Test
    void loadingChecksNamesShapesAndGroupsWithClearErrors() {
        Regression r = new Regression("sgd_plain");
        Adam opt = new Adam(r.params(), 0.01);
        r.step(opt);
        Map<String, Tensor> good = opt.stateDict();

        Map<String, Tensor> d = new LinkedHashMap<>(good);
        d.put("state.0.exp_avg", Tensor.zeros(4, 3));
        String m = loadError(opt, d);
        assertTrue(m.contains("Adam.loadStateDict: 'state.0.exp_avg' has shape [4, 3] but expected [3, 4]"), m);

        d = new LinkedHashMap<>(good);
        d.put("state.0.momentum_buffer", Tensor.zeros(3, 4));
        m = loadError(opt, d);
        assertTrue(m.contains("unknown state 'momentum_buffer'"), m);

        d = new LinkedHashMap<>(good);
        d.put("state.5.exp_avg", Tensor.zeros(3));
        m = loadError(opt, d);
        assertTrue(m.contains("refers to parameter 5 but this optimizer has 2 parameters"), m);

        d = new LinkedHashMap<>(good);
        d.put("model.weight", Tensor.zeros(3));
        m = loadError(opt, d);
        assertTrue(m.contains("unexpected key 'model.weight'"), m);

        d = new LinkedHashMap<>(good);
        d.remove("param_groups.0.beta1");
        m = loadError(opt, d);
        assertTrue(m.contains("missing key 'param_groups.0.beta1'"), m);

        d = new LinkedHashMap<>(good);
        d.put("param_groups.0.lr", Tensor.of(0.1f, 0.2f));
        m = loadError(opt, d);
        assertTrue(m.contains("'param_groups.0.lr' must be a scalar (rank-0) tensor but has shape [2]"), m);

        d = new LinkedHashMap<>(good);
        d.put("param_groups.0.beta1", Tensor.scalar(1.5f));
        m = loadError(opt, d);
        assertTrue(m.contains("beta1 must be in [0, 1)"), m);

        d = new LinkedHashMap<>(good);
        d.put("state.0.step", Tensor.of(1f));
        m = loadError(opt, d);
        assertTrue(m.contains("'state.0.step' has shape [1] but expected [] (a scalar)"), m);

        Regression other = new Regression("sgd_plain");
        Adam twoGroups = new Adam(other.groups(new ParamGroup(List.of(other.b))), 0.01, 0.9, 0.999, 1e-8, 0, false);
        m = loadError(twoGroups, good);
        assertTrue(m.contains("the state dict has 1 param groups") && m.contains("this optimizer has 2"), m);

        Adam smaller = new Adam(List.of(Tensor.zeros(3, 4).requiresGrad(true)), 0.01);
        m = loadError(smaller, good);
        assertTrue(m.contains("refers to parameter 1 but this optimizer has 1 parameters") || m.contains("param group 0 has 1 parameters"), m);
    }

    @Test
    void aFailedLoadChangesNothing() {
        Regression r = new Regression("sgd_plain");
        Adam opt = new Adam(r.params(), 0.01);
        r.step(opt);
        Map<String, Tensor> before = opt.stateDict();
        Map<String, Tensor> bad = new LinkedHashMap<>(before);
        bad.put("param_groups.0.lr", Tensor.scalar(0.5f));
        bad.put("state.1.exp_avg", Tensor.zeros(7));
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(bad));
        Map<String, Tensor> after = opt.stateDict();
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) assertArrayEquals(before.get(k).toFloatArray(), after.get(k).toFloatArray(), k);
    }
}
