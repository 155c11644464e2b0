package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Conv1dTest {
    @Test
    void stridedPaddedDilatedConvolutionMatchesPyTorch() {
        ConvGoldens.matchesPyTorch(new Conv1d(3, 4, 3, 2, 2, 2, 1, true, new Generator(1)), "conv1d");
    }

    @Test
    void samePaddingGroupedConvolutionMatchesPyTorch() {
        ConvGoldens.matchesPyTorch(new Conv1d(4, 2, 4, 1, "same", 1, 2, true, new Generator(1)), "conv1d_same_grouped");
    }

    @Test
    void gradientsPassCentralDifferences() {
        ConvGoldens.gradCheck(new Conv1d(4, 2, 3, 2, 1, 1, 2, true, new Generator(2)), 2, 4, 7);
    }

    @Test
    void weightHasPyTorchShapeAndUnbatchedInputWorks() {
        Conv1d c = new Conv1d(3, 5, 2);
        assertArrayEquals(new int[] {5, 3, 2}, c.weight().shape());
        assertArrayEquals(new int[] {5, 6}, c.forward(Tensor.zeros(3, 7)).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 4, 7)));
        assertEquals("Conv1d expects input [N, 3, L] or [3, L] (inChannels 3) but input shape is [2, 4, 7]", e.getMessage());
    }
}
