package dev.nn4j.nn.init;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.Golden;
import dev.nn4j.nn.init.Init.FanMode;
import dev.nn4j.nn.init.Init.Nonlinearity;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {
    /** Mean, standard deviation and largest magnitude of a tensor's elements, in double. */
    record Stats(double mean, double std, double min, double max) {
        static Stats of(Tensor t) {
            double sum = 0, sq = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
            float[] v = t.toFloatArray();
            for (float f : v) {
                sum += f;
                sq += (double) f * f;
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            double mean = sum / v.length;
            return new Stats(mean, Math.sqrt(sq / v.length - mean * mean), min, max);
        }
    }

    /** Standard error of a sample mean for n draws with the given std, times 5 (a false failure is ~1e-6 likely). */
    private static double tol(double std, int n) {
        return 5 * std / Math.sqrt(n);
    }

    @Test
    void gainsEqualPyTorchs() {
        Golden g = Golden.load("layers/init_gains");
        JsonNode names = g.meta().get("nonlinearities");
        float[] gains = g.tensor("gains").toFloatArray();
        for (int i = 0; i < names.size(); i++) {
            Nonlinearity n = Nonlinearity.of(names.get(i).asText());
            assertEquals(gains[i], Init.calculateGain(n), 1e-6, n.toString());
        }
        float[] slopes = g.tensor("leaky_relu_slopes").toFloatArray(), leaky = g.tensor("leaky_relu_gains").toFloatArray();
        for (int i = 0; i < slopes.length; i++) assertEquals(leaky[i], Init.calculateGain(Nonlinearity.LEAKY_RELU, slopes[i]), 1e-6);
        assertEquals(Math.sqrt(2), Init.calculateGain(Nonlinearity.RELU), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Nonlinearity.of("swish"));
        assertTrue(e.getMessage().startsWith("Unsupported nonlinearity 'swish'"), e.getMessage());
    }

    @Test
    void fansCountTheReceptiveFieldAsPyTorch() {
        Golden g = Golden.load("layers/init_gains");
        JsonNode shapes = g.meta().get("fan_shapes"), fans = g.meta().get("fans");
        for (int i = 0; i < shapes.size(); i++) {
            int[] shape = new int[shapes.get(i).size()];
            for (int d = 0; d < shape.length; d++) shape[d] = shapes.get(i).get(d).asInt();
            Tensor t = Tensor.zeros(shape);
            assertEquals(fans.get(i).get(0).asInt(), Init.fanIn(t), "fan in of " + shapes.get(i));
            assertEquals(fans.get(i).get(1).asInt(), Init.fanOut(t), "fan out of " + shapes.get(i));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(Tensor.zeros(5)));
        assertEquals("fanIn: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, but the shape is [5]", e.getMessage());
    }

    @Test
    void uniformAndNormalHaveTheirMoments() {
        int n = 100_000;
        Stats u = Stats.of(Init.uniform(Tensor.zeros(n), -2, 3, new Generator(1)));
        // U(a, b): mean (a+b)/2, std (b−a)/√12
        assertEquals(0.5, u.mean, tol(5 / Math.sqrt(12), n));
        assertEquals(5 / Math.sqrt(12), u.std, 0.01);
        assertTrue(u.min >= -2 && u.max < 3 && u.min < -1.99 && u.max > 2.99, u.toString());
        Stats g = Stats.of(Init.normal(Tensor.zeros(n), 1.5, 0.5, new Generator(2)));
        assertEquals(1.5, g.mean, tol(0.5, n));
        assertEquals(0.5, g.std, 0.005);
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(2), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(Tensor.zeros(2), 0, -1));
    }

    @Test
    void constantsFillEveryElement() {
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, Init.constant(Tensor.zeros(3), 2.5).toFloatArray());
        assertArrayEquals(new float[] {1f, 1f}, Init.ones(Tensor.zeros(2)).toFloatArray());
        assertArrayEquals(new float[] {0f, 0f}, Init.zeros(Tensor.ones(2)).toFloatArray());
    }

    @Test
    void xavierScalesWithFanInPlusFanOut() {
        Tensor t = Tensor.zeros(200, 300);
        double gain = Init.calculateGain(Nonlinearity.TANH);
        // xavier_uniform_: a = gain · √(6 / (fanIn + fanOut)), std a/√3
        double a = gain * Math.sqrt(6.0 / 500);
        Stats u = Stats.of(Init.xavierUniform(t, gain, new Generator(3)));
        assertTrue(u.max <= a && u.min >= -a && u.max > 0.99 * a, u.toString());
        assertEquals(a / Math.sqrt(3), u.std, 0.01 * a);
        assertEquals(0, u.mean, tol(a / Math.sqrt(3), 60_000));
        // xavier_normal_: std = gain · √(2 / (fanIn + fanOut))
        Stats g = Stats.of(Init.xavierNormal(t, gain, new Generator(4)));
        assertEquals(gain * Math.sqrt(2.0 / 500), g.std, 0.01 * g.std);
    }

    @Test
    void kaimingUsesTheChosenFanAndGain() {
        Tensor conv = Tensor.zeros(64, 16, 3, 3); // fan in 144, fan out 576
        // kaiming_normal_(mode=fan_out, nonlinearity=relu): std = √2 / √576
        Stats out = Stats.of(Init.kaimingNormal(conv, 0, FanMode.FAN_OUT, Nonlinearity.RELU, new Generator(5)));
        assertEquals(Math.sqrt(2) / 24, out.std, 0.01 * out.std);
        assertEquals(0, out.mean, tol(out.std, conv.numel()));
        // kaiming_uniform_ defaults (a = 0, fan in, leaky_relu ⇒ gain √2): bound = √3 · √2 / √144
        double bound = Math.sqrt(6) / 12;
        Generator.manualSeed(6);
        Stats in = Stats.of(Init.kaimingUniform(conv));
        assertTrue(in.max <= bound && in.min >= -bound && in.max > 0.99 * bound, in.toString());
        assertEquals(bound / Math.sqrt(3), in.std, 0.01 * bound);
        // a = 0.2 with leaky_relu: gain √(2 / 1.04)
        Stats leaky = Stats.of(Init.kaimingNormal(conv, 0.2, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, new Generator(7)));
        assertEquals(Math.sqrt(2 / 1.04) / 12, leaky.std, 0.01 * leaky.std);
        // no elements: left alone, as PyTorch (which only warns)
        assertEquals(0, Init.kaimingUniform(Tensor.zeros(0, 3)).numel());
    }

    @Test
    void deterministicForASeed() {
        float[] a = Init.kaimingNormal(Tensor.zeros(10, 10), 0, FanMode.FAN_IN, Nonlinearity.RELU, new Generator(42)).toFloatArray();
        float[] b = Init.kaimingNormal(Tensor.zeros(10, 10), 0, FanMode.FAN_IN, Nonlinearity.RELU, new Generator(42)).toFloatArray();
        float[] c = Init.kaimingNormal(Tensor.zeros(10, 10), 0, FanMode.FAN_IN, Nonlinearity.RELU, new Generator(43)).toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        Generator.manualSeed(11);
        float[] d = Init.xavierUniform(Tensor.zeros(4, 4)).toFloatArray();
        assertArrayEquals(d, Init.xavierUniform(Tensor.zeros(4, 4), 1.0, new Generator(11)).toFloatArray());
    }

    @Test
    void fillsInPlaceWithoutRecordingAGraph() {
        Tensor w = Tensor.zeros(3, 4).requiresGrad(true);
        assertSame(w, Init.normal(w, 0, 1, new Generator(1)));
        assertTrue(w.isLeaf() && w.requiresGrad());
        assertTrue(w.toFloatArray()[5] != 0f);
        // a view (the transpose) is filled through its strides: row-major order of the view
        Tensor base = Tensor.zeros(2, 3);
        Init.uniform(base.t(), 0, 1, new Generator(2));
        float[] expected = Init.uniform(Tensor.zeros(3, 2), 0, 1, new Generator(2)).toFloatArray();
        assertArrayEquals(expected, base.t().toFloatArray());
    }
}
