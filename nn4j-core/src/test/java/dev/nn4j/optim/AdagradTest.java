package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdagradTest {

    @Test
    void defaultsMatchPyTorch() {
        Regression.assertMatchesPyTorch("adagrad_default", r -> new Adagrad(r.params(), 0.1));
    }

    @Test
    void lrDecayWeightDecayAndInitialAccumulatorMatchPyTorch() {
        Regression.assertMatchesPyTorch("adagrad_decay_wd_init", r -> new Adagrad(r.params(), 0.1, 0.05, 0.01, 0.1, 1e-8));
    }

    @Test
    void accumulatorExistsFromConstructionAsInPyTorch() {
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        Adagrad opt = new Adagrad(List.of(p), 0.1, 0, 0, 0.25, 1e-10);
        assertEquals(0.25f, opt.state(p).get("sum").get(1));
        assertEquals(0f, opt.state(p).get("step").item());
    }

    @Test
    void rejectsInvalidHyperparameters() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        var e = assertThrows(IllegalArgumentException.class, () -> new Adagrad(ps, 0.1, -1, 0, 0, 1e-10));
        assertTrue(e.getMessage().contains("Adagrad: lr_decay must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adagrad(ps, 0.1, 0, 0, -0.1, 1e-10));
        assertTrue(e.getMessage().contains("initial_accumulator_value must be >= 0"), e.getMessage());
    }
}
