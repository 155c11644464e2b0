package dev.nn4j.data.sets;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MnistSampleTest {

    @Test
    void embeddedSampleHasTenThousandScaledDigitsSplit8000And2000() {
        MnistSample.Split all = MnistSample.all();
        assertArrayEquals(new int[] {10_000, 784}, all.images().shape());
        assertEquals(0f, all.images().min().item());
        assertEquals(1f, all.images().max().item());
        // first labels and the class balance of the training part, read with Python's gzip+struct
        assertArrayEquals(new float[] {6, 6, 8, 1, 7, 1, 4, 6, 1, 2}, all.labels().narrow(0, 0, 10).toFloatArray());
        Tensor train = MnistSample.train().labels();
        assertEquals(8_000, train.size(0));
        assertEquals(913f, train.eq(1f).sum().item());
        assertEquals(689f, train.eq(5f).sum().item());
        assertEquals(2_000, MnistSample.test().size());
    }
}
