package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    @Test
    void skipsParamsWithoutGradientAndParamsThatDoNotRequireGrad() {
        Tensor trained = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor noGrad = Tensor.of(3f).requiresGrad(true);
        Tensor frozen = Tensor.of(4f);
        Sgd opt = new Sgd(List.of(trained, noGrad, frozen), 0.5);
        trained.setGrad(Tensor.of(1f, -1f));
        frozen.setGrad(Tensor.of(1f));
        opt.step();
        assertArrayEquals(new float[] {0.5f, 2.5f}, trained.toFloatArray());
        assertEquals(3f, noGrad.get(0));
        assertEquals(4f, frozen.get(0));
        assertTrue(opt.state(noGrad).isEmpty());
    }

    @Test
    void zeroGradZeroesEveryGradientInPlaceAndSetToNoneDropsThem() {
        Tensor a = Tensor.of(1f).requiresGrad(true), b = Tensor.of(2f).requiresGrad(true);
        Adam opt = new Adam(List.of(a, b));
        a.setGrad(Tensor.of(1f));
        b.setGrad(Tensor.of(1f));
        float[] kept = a.grad().array();
        opt.zeroGrad();
        assertSame(kept, a.grad().array());
        assertArrayEquals(new float[] {0f}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {0f}, b.grad().toFloatArray());
        opt.zeroGrad(true);
        assertNull(a.grad());
        assertNull(b.grad());
    }

    @Test
    void groupsTakeMissingOptionsFromTheDefaultsAndLrIsPerGroup() {
        Tensor a = Tensor.of(1f).requiresGrad(true), b = Tensor.of(2f).requiresGrad(true), c = Tensor.of(3f).requiresGrad(true);
        Sgd opt = new Sgd(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(b)).set("lr", 0.5).set("nesterov", true)), 0.1, 0.9, 0, 0, false, false);
        assertEquals(2, opt.paramGroups().size());
        assertEquals((float) 0.1, (float) opt.lr(0));
        assertEquals(0.5, opt.lr(1));
        assertEquals((float) 0.9, (float) opt.paramGroups().get(1).get("momentum"));
        assertTrue(opt.paramGroups().get(1).flag("nesterov"));
        opt.setLr(1, 0.25);
        assertEquals(0.25, opt.lr(1));
        opt.setLr(0.125);
        assertEquals(0.125, opt.lr(0));
        assertEquals(0.125, opt.lr(1));
        opt.addParamGroup(new ParamGroup(List.of(c)).set("momentum", 0));
        assertEquals(0.125 * 0 + (float) 0.1, (float) opt.lr(2));
        var e = assertThrows(IllegalArgumentException.class, () -> opt.setLr(0, -1));
        assertTrue(e.getMessage().contains("learning rate must be >= 0"), e.getMessage());
    }

    @Test
    void hyperparametersAreHeldAtFloatPrecision() {
        Sgd opt = new Sgd(List.of(Tensor.of(1f).requiresGrad(true)), 0.1);
        assertEquals((double) 0.1f, opt.lr());
    }

    @Test
    void rejectsBadParameterListsWithClearMessages() {
        Tensor a = Tensor.of(1f, 2f).requiresGrad(true);
        var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1));
        assertTrue(e.getMessage().contains("Sgd: got an empty parameter list"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(a, a), 0.1));
        assertTrue(e.getMessage().contains("appears in more than one param group"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(a.mul(2f))));
        assertTrue(e.getMessage().contains("Adam: can't optimize a non-leaf tensor: parameter 0 of param group 0 (shape [2])"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(Tensor.zeros(2, 3).t())));
        assertTrue(e.getMessage().contains("is a view or non-contiguous"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(List.of(new ParamGroup(List.of(a)).set("momentm", 0.9)), 0.1, 0, 0, 0, false, false));
        assertTrue(e.getMessage().contains("param group 0 has unknown option 'momentm'") && e.getMessage().contains("momentum"), e.getMessage());
        Sgd opt = new Sgd(List.of(a), 0.1);
        e = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(new ParamGroup(List.of(a))));
        assertTrue(e.getMessage().contains("appears in more than one param group"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(new ParamGroup(List.of(Tensor.zeros(1))).set("lr", -2)));
        assertTrue(e.getMessage().contains("param group 1 has lr=-2.0"), e.getMessage());
    }
}
