package dev.nn4j.autograd;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradCheckTest {

    @Test
    void acceptsCorrectGradientOfMatmulTanh() {
        Generator g = new Generator(7);
        Tensor a = Tensor.randn(g, 3, 4).requiresGrad(true);
        Tensor b = Tensor.randn(g, 4, 2).requiresGrad(true);
        GradCheck.check(in -> in[0].matmul(in[1]).tanh(), a, b);
    }

    @Test
    void reportsNameAndIndexOfAWrongGradient() {
        Tensor x = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        // y = x² but the "function" detaches one factor, so autograd sees y = c·x ⇒ dy/dx = x instead of 2x
        List<GradCheck.Failure> failures = GradCheck.defaults().compare(() -> x.mul(x.detach()), Map.of("x", x));
        assertEquals(3, failures.size());
        assertEquals("x", failures.getFirst().input());
        assertEquals(0, failures.getFirst().index()[0]);
        assertEquals(2.0 * failures.getFirst().analytic(), failures.getFirst().numeric(), 1e-2);
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.defaults().assertClose(() -> x.mul(x.detach()), Map.of("x", x)));
        assertTrue(e.getMessage().contains("x[1]"), e.getMessage());
    }

    @Test
    void handDerivedPolynomial() {
        // y = x² + 5x ⇒ dy/dx = 2x + 5
        Tensor x = Tensor.of(-1f, 0f, 2f).requiresGrad(true);
        x.mul(x).add(x.mul(5f)).sum().backward();
        assertEquals(List.of(3f, 5f, 9f), List.of(x.grad().get(0), x.grad().get(1), x.grad().get(2)));
    }
}
