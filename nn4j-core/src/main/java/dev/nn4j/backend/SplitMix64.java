package dev.nn4j.backend;

/**
 * The SplitMix64 sequence behind {@code dev.nn4j.tensor.Generator}: the state advances by {@link #GAMMA} per draw and
 * each output is {@link #mix} of the advanced state, so draw {@code i} of a generator in state {@code s} is
 * {@code mix(s + (i + 1)·GAMMA)}, computable without drawing the ones before it (kernels fill masks in any order).
 */
public final class SplitMix64 {
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix64() {}

    /** The output for an advanced state {@code z}. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * {@code out[i] = x[i] · (u >= p ? scale : 0)} for {@code from <= i < to}, where u is draw {@code i} of a generator
     * in {@code state} as a uniform double ({@code (bits >>> 11)·2⁻⁵³}), compared as integers against
     * {@link #threshold}{@code (p)}: the same outcome, since scaling by a power of two is exact.
     */
    static void dropout(long state, long threshold, float scale, float[] x, float[] out, int from, int to) {
        long z = state + (from + 1L) * GAMMA;
        for (int i = from; i < to; i++, z += GAMMA) out[i] = x[i] * ((mix(z) >>> 11) >= threshold ? scale : 0f);
    }

    /** The draws {@code bits >>> 11} at or above this one are uniform doubles at or above {@code p}. */
    static long threshold(double p) {
        return (long) Math.ceil(p * 0x1p53);
    }
}
