package dev.nn4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The per-thread array cache hands back what it was given, by exact length, and keeps large arrays over small ones. */
class BuffersTest {

    @Test
    void anArrayGivenBackIsTakenAgainForTheSameLengthOnly() {
        float[] a = new float[12345];
        Buffers.give(a);
        assertNotSame(a, Buffers.take(12344));
        assertSame(a, Buffers.take(12345));
        assertNotSame(a, Buffers.take(12345), "taken once, it is no longer cached");
    }

    @Test
    void aFullCacheDropsItsSmallestArrayForALargerOne() {
        float[] big = new float[54321];
        for (int i = 0; i < 64; i++) Buffers.give(new float[7]);  // more than the cache holds
        Buffers.give(big);
        assertSame(big, Buffers.take(54321));
        for (int i = 0; i < 64; i++) Buffers.take(7);           // leave the cache empty for other tests on this thread
    }

    @Test
    void arraysOverAQuarterOfTheCapAreNotKept() {
        float[] huge = new float[(4 << 20) + 1];                // the cap is 16 Mi floats
        Buffers.give(huge);
        assertNotSame(huge, Buffers.take(huge.length));
        assertEquals(0, Buffers.take(0).length);
    }
}
