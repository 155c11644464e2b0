package dev.nn4j.tensor;

/**
 * Each thread's small cache of float arrays that the autograd engine has finished with (gradient temporaries no
 * other tensor can reach), handed to the next op output of the same length, so that a steady training step does
 * not allocate a fresh array for every intermediate gradient. Not a general allocator: only op outputs whose kernel
 * overwrites every element take from it, since a cached array holds stale values.
 */
final class Buffers {
    /** Arrays kept per thread, and their total size: beyond these, a returned array is left to the GC. */
    private static final int SLOTS = 32;
    private static final long MAX_FLOATS = 16L << 20;  // 64 MiB

    private static final ThreadLocal<Buffers> LOCAL = ThreadLocal.withInitial(Buffers::new);

    private final float[][] slots = new float[SLOTS][];
    private long floats;

    private Buffers() {}

    /** An array of length {@code n} with arbitrary contents: a cached one when there is one, else a new (zeroed) one. */
    static float[] take(int n) {
        Buffers b = LOCAL.get();
        float[][] s = b.slots;
        for (int i = 0; i < SLOTS; i++) {
            float[] a = s[i];
            if (a != null && a.length == n) {
                s[i] = null;
                b.floats -= n;
                return a;
            }
        }
        return new float[n];
    }

    /**
     * Keeps {@code a} for a later {@link #take}; the caller guarantees that nothing reads or writes it any more. A full
     * cache drops its smallest array for a larger one (large arrays are the ones worth keeping), else drops {@code a}.
     */
    static void give(float[] a) {
        if (a.length == 0 || a.length > MAX_FLOATS / 4) return;
        Buffers b = LOCAL.get();
        float[][] s = b.slots;
        int free = -1, smallest = -1;
        for (int i = 0; i < SLOTS && free < 0; i++) {
            if (s[i] == null) free = i;
            else if (smallest < 0 || s[i].length < s[smallest].length) smallest = i;
        }
        if (free < 0) {
            if (s[smallest].length >= a.length) return;
            free = smallest;
            b.floats -= s[free].length;
            s[free] = null;
        }
        while (b.floats + a.length > MAX_FLOATS) {  // evict until it fits (each array is at most a quarter of the cap)
            for (int i = 0; i < SLOTS; i++) {
                if (s[i] != null) {
                    b.floats -= s[i].length;
                    s[i] = null;
                    break;
                }
            }
        }
        s[free] = a;
        b.floats += a.length;
    }
}
