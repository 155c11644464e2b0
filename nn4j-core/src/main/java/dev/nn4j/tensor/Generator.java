package dev.nn4j.tensor;

import dev.nn4j.backend.SplitMix64;

/**
 * Seeded pseudo-random generator (SplitMix64) behind every random tensor, initialiser, dropout mask and
 * shuffle. Not {@link java.util.Random}: its whole state is one {@code long}, so a run is reproducible
 * across JVMs and its state can be saved in a checkpoint and restored exactly.
 */
public final class Generator {
    private static final Generator GLOBAL = new Generator(0x5EED_2026L);
    private long state;

    public Generator(long seed) {
        this.state = seed;
    }

    /** The generator used when none is passed explicitly. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Reseeds the global generator, like {@code torch.manual_seed}. */
    public static void manualSeed(long seed) {
        GLOBAL.setState(seed);
    }

    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    public long nextLong() {
        return SplitMix64.mix(state += SplitMix64.GAMMA);
    }

    /**
     * Advances past {@code n} draws at once and returns the state before them: draw {@code i} of those is then
     * {@code SplitMix64.mix(returned + (i + 1)·GAMMA)}, so a kernel can fill them in any order (a dropout mask over threads).
     */
    public long skip(long n) {
        long before = state;
        state += n * SplitMix64.GAMMA;
        return before;
    }

    /** Uniform in [0, 1) with 24 random bits, exactly representable as a float. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive but was " + bound);
        long r = nextLong() >>> 33;
        long limit = (1L << 31) - ((1L << 31) % bound);
        while (r >= limit) r = nextLong() >>> 33;
        return (int) (r % bound);
    }

    /** Standard normal sample (Box-Muller, one value per call so the state stays a single long). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1], keeps log finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
