package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.nn4j.data.PreprocessingTest.bits;
import static dev.nn4j.data.SplitsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomHorizontalFlipTest {
    @Test
    void flipMirrorsEveryRowOfEveryChannel() {
        Tensor x = Tensor.arange(12).reshape(1, 2, 2, 3);
        float[] expected = {2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9};
        assertArrayEquals(expected, RandomHorizontalFlip.hflip(x, new ImageShape(2, 2, 3)).toFloatArray());
        assertArrayEquals(expected, new RandomHorizontalFlip(new ImageShape(2, 2, 3), 1).apply(x.reshape(1, 12), new Generator(0)).toFloatArray());
    }

    @Test
    void flippingTwiceIsTheIdentity() {
        ImageShape shape = new ImageShape(1, 28, 28);
        Tensor x = Tensor.rand(new Generator(1), 5, 784);
        assertArrayEquals(bits(x), bits(RandomHorizontalFlip.hflip(RandomHorizontalFlip.hflip(x, shape), shape)));
        assertArrayEquals(bits(x), bits(new RandomHorizontalFlip(shape, 0).apply(x, new Generator(2))), "p = 0 never flips");
    }

    @Test
    void aboutHalfOfTheImagesAreFlippedWithPOneHalf() {
        int n = 4000;
        ImageShape shape = new ImageShape(1, 1, 2);
        Tensor x = Tensor.zeros(n, 2);
        for (int b = 0; b < n; b++) x.set(1f, b, 0);
        Tensor out = new RandomHorizontalFlip(shape, 0.5).apply(x, new Generator(3));
        int flipped = 0;
        for (int b = 0; b < n; b++) flipped += out.get(b, 1) == 1f ? 1 : 0;
        assertEquals(0.5, flipped / (double) n, 0.025);
        assertTrue(flipped > 0 && flipped < n);
    }

    @Test
    void probabilityOutsideTheUnitIntervalIsAnError() {
        assertMessage("RandomHorizontalFlip: p must be in [0, 1] but was 1.5", () -> new RandomHorizontalFlip(new ImageShape(1, 2, 2), 1.5));
    }
}
