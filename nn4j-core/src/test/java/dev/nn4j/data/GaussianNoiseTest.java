package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.nn4j.data.PreprocessingTest.bits;
import static dev.nn4j.data.SplitsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GaussianNoiseTest {
    @Test
    void noiseHasZeroMeanAndTheGivenStd() {
        Tensor x = Tensor.full(0.5f, 100, 1000);
        float[] noise = new GaussianNoise(0.2).apply(x, new Generator(1)).sub(x).toFloatArray();
        double sum = 0, sq = 0;
        for (float v : noise) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / noise.length, std = Math.sqrt(sq / noise.length - mean * mean);
        assertEquals(0, mean, 0.002); // standard error 0.2/√100000 ≈ 0.0006
        assertEquals(0.2, std, 0.002);
    }

    @Test
    void zeroStdIsTheIdentityAndASeedFixesTheNoise() {
        Tensor x = Tensor.rand(new Generator(2), 4, 9);
        assertArrayEquals(bits(x), bits(new GaussianNoise(0).apply(x, new Generator(3))));
        assertArrayEquals(bits(new GaussianNoise(1).apply(x, new Generator(4))), bits(new GaussianNoise(1).apply(x, new Generator(4))));
    }

    @Test
    void negativeStdIsAnError() {
        assertMessage("GaussianNoise: std must be finite and at least 0 but was -1.0", () -> new GaussianNoise(-1));
    }
}
