package dev.nn4j.backend;

import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dropout kernel draws by index ({@link SplitMix64}): it must multiply by the mask that drawing one element after
 * another with {@link Generator#nextDouble()} gives, in the scalar and the vector kernel (threaded), for any thread
 * count, and {@link Generator#skip} must leave the generator where those draws would.
 */
class DropoutKernelTest {
    @Test
    void dropoutMultipliesByTheMaskOfDrawingEachElementInOrderForAnyKernelAndThreadCount() {
        int before = Threads.get();
        SplittableRandom rnd = new SplittableRandom(3);
        try {
            for (int n : new int[] {0, 1, 7, VectorKernels.ELEMENTWISE_PARALLEL * 2 + 3, 100_003}) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) x[i] = i % 97 == 0 ? -0f : (float) rnd.nextGaussian();
                for (double p : new double[] {0.25, 0.5, 0.9, 1e-17, 0.999999, 0.1 + 0.2}) {
                    float scale = (float) (1 / (1 - p));
                    Generator sequential = new Generator(n * 31L + 7), byIndex = new Generator(n * 31L + 7);
                    float[] expected = new float[n];
                    for (int i = 0; i < n; i++) expected[i] = x[i] * (sequential.nextDouble() >= p ? scale : 0f);
                    long state = byIndex.skip(n);
                    assertEquals(sequential.state(), byIndex.state(), "state after skipping " + n);
                    assertEquals(sequential.nextLong(), byIndex.nextLong(), "next draw after skipping " + n);
                    float[] scalar = new float[n];
                    new ScalarKernels().dropout(x, state, p, scale, scalar, n);
                    assertArrayEquals(expected, scalar, "scalar kernel, n=" + n + " p=" + p);
                    for (int threads : new int[] {1, 2, 3}) {
                        Threads.set(threads);
                        float[] vector = new float[n];
                        new VectorKernels().dropout(x, state, p, scale, vector, n);
                        assertArrayEquals(expected, vector, "vector kernel, n=" + n + " p=" + p + " threads=" + threads);
                    }
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void mixGivesTheGeneratorsOutputs() {
        Generator g = new Generator(42);
        long state = 42;
        for (int i = 0; i < 100; i++) {
            state += SplitMix64.GAMMA;
            assertEquals(SplitMix64.mix(state), g.nextLong(), "draw " + i);
        }
    }
}
