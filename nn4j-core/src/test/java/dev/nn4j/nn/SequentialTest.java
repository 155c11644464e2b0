package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequentialTest {
    @Test
    void addGetAndSizeWithPythonStyleNegativeIndices() {
        Linear a = new Linear(3, 4);
        ReLU r = new ReLU();
        Sequential s = new Sequential(a);
        assertSame(s, s.add(r));
        assertEquals(2, s.size());
        assertSame(a, s.get(0));
        assertSame(r, s.get(1));
        assertSame(r, s.get(-1));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
        assertEquals("Sequential.get: index 2 is out of range for 2 modules", e.getMessage());
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(s.namedParameters().keySet()));
    }

    @Test
    void appliesModulesInOrder() {
        Generator g = new Generator(4);
        Linear l = new Linear(3, 2, true, g);
        Tensor x = Tensor.randn(g, 5, 3);
        Tensor expected = l.forward(x).sigmoid();
        assertArrayEquals(expected.toFloatArray(), new Sequential(l, new Sigmoid()).forward(x).toFloatArray());
    }

    @Test
    void emptySequentialIsIdentity() {
        Tensor x = Tensor.of(1f, 2f);
        assertSame(x, new Sequential().forward(x));
        assertEquals("Sequential()", new Sequential().toString());
    }
}
