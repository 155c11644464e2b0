package dev.nn4j.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check the optimizer tests share: state arrays hold zeros and normal floats only, never a subnormal value. */
final class NoSubnormals {
    private NoSubnormals() {}

    static void check(String where, float[]... states) {
        for (float[] state : states) {
            for (int i = 0; i < state.length; i++) {
                float x = state[i];
                assertTrue(x == 0 || Math.abs(x) >= Float.MIN_NORMAL, where + ": subnormal state " + x + " at " + i);
            }
        }
    }
}
