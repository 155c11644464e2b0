package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** MaxPool2d, AvgPool2d and AdaptiveAvgPool2d against PyTorch, central differences and hand-computed cases. */
class PoolingTest {
    @Test
    void maxPoolMatchesPyTorch() {
        ConvGoldens.matchesPyTorch(new MaxPool2d(3, 2, 1), "maxpool2d");
        ConvGoldens.matchesPyTorch(new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 0}, new int[] {2, 1}), "maxpool2d_rect_dilated");
    }

    @Test
    void avgPoolMatchesPyTorchWithAndWithoutCountingPadding() {
        ConvGoldens.matchesPyTorch(new AvgPool2d(3, 2, 1), "avgpool2d");
        ConvGoldens.matchesPyTorch(new AvgPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, false), "avgpool2d_exclude_pad");
    }

    @Test
    void adaptiveAvgPoolMatchesPyTorchForShrinkingAndOverlappingWindows() {
        ConvGoldens.matchesPyTorch(new AdaptiveAvgPool2d(3, 2), "adaptive_avgpool2d");
        ConvGoldens.matchesPyTorch(new AdaptiveAvgPool2d(4), "adaptive_avgpool2d_upsampling");
    }

    @Test
    void gradientsPassCentralDifferences() {
        // the random inputs have no ties within a window, where the max is not differentiable
        ConvGoldens.gradCheck(new MaxPool2d(3, 2, 1), 1, 2, 5, 4);
        ConvGoldens.gradCheck(new AvgPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, false), 1, 2, 4, 5);
        ConvGoldens.gradCheck(new AdaptiveAvgPool2d(2, 3), 2, 1, 5, 4);
    }

    @Test
    void handComputedTwoByTwoPooling() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16}, 1, 1, 4, 4);
        assertArrayEquals(new float[] {4, 8, 12, 16}, new MaxPool2d(2).forward(x).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 6.5f, 10.5f, 14.5f}, new AvgPool2d(2).forward(x).toFloatArray());
        assertArrayEquals(new float[] {8.5f}, new AdaptiveAvgPool2d(1).forward(x).toFloatArray());
        // y = max of a window ⇒ dy/dx is 1 at the window's maximum and 0 elsewhere
        Tensor xg = x.detach().requiresGrad(true);
        new MaxPool2d(2).forward(xg).sum().backward();
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1}, xg.grad().toFloatArray());
        assertArrayEquals(new int[] {1, 2, 2}, new MaxPool2d(2).forward(x.reshape(1, 4, 4)).shape());
    }

    @Test
    void shapeErrorsNameTheLayer() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Tensor.zeros(4, 16)));
        assertEquals("MaxPool2d expects input [N, C, H, W] or [C, H, W] but input shape is [4, 16]", e.getMessage());
        var pad = assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 2, 2));
        assertEquals("AvgPool2d: padding [2, 2] must be at most half the kernel size [2, 2]", pad.getMessage());
        var small = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3).forward(Tensor.zeros(1, 1, 2, 2)));
        assertEquals("MaxPool2d: the padded input of size 2x2 is smaller than the (dilated) kernel of size 3x3 (input 2x2)", small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(1).forward(Tensor.zeros(5)));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(0, 2));
    }

    @Test
    void maxPoolGradientGoesToTheFirstOfTiedMaximaAsInPyTorch() {
        // torch.nn.MaxPool2d(2) on [[1, 1], [1, 1]] gives the whole gradient to the first element of the window
        Tensor x = Tensor.ones(1, 1, 2, 2).requiresGrad(true);
        new MaxPool2d(2).forward(x).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0}, x.grad().toFloatArray());
    }
}
