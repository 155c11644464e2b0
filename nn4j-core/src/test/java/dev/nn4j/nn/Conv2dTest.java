package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2dTest {
    private static Conv2d conv(int in, int out, int[] k, int[] s, int[] p, int[] d, int groups, boolean bias) {
        return new Conv2d(in, out, k, s, p, d, groups, bias, new Generator(1));
    }

    @Test
    void paddedConvolutionMatchesPyTorch() {
        ConvGoldens.matchesPyTorch(new Conv2d(3, 4, 3, 1, 1), "conv2d_padded");
    }

    @Test
    void stridedDilatedGroupedConvolutionMatchesPyTorch() {
        ConvGoldens.matchesPyTorch(conv(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2, true),
                "conv2d_strided_dilated_grouped");
    }

    @Test
    void samePaddingWithAnEvenKernelPadsTheExtraAtTheEndAsPyTorch() {
        Conv2d c = new Conv2d(2, 3, new int[] {4, 2}, new int[] {1, 1}, "same", new int[] {1, 3}, 1, false, new Generator(1));
        ConvGoldens.matchesPyTorch(c, "conv2d_same_even_kernel_no_bias");
        assertArrayEquals(new int[] {1, 3, 5, 7}, c.forward(Tensor.zeros(1, 2, 5, 7)).shape());
    }

    @Test
    void depthwiseConvolutionMatchesPyTorch() {
        ConvGoldens.matchesPyTorch(conv(3, 6, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 3, true),
                "conv2d_depthwise");
    }

    @Test
    void gradientsPassCentralDifferences() {
        ConvGoldens.gradCheck(conv(4, 2, new int[] {2, 3}, new int[] {2, 1}, new int[] {1, 1}, new int[] {2, 1}, 2, true), 2, 4, 5, 4);
        ConvGoldens.gradCheck(new Conv2d(2, 2, new int[] {2, 2}, new int[] {1, 1}, "same", new int[] {1, 1}, 1, true, new Generator(3)), 1, 2, 3, 3);
    }

    @Test
    void hasPyTorchParameterNamesShapesAndInit() {
        Conv2d c = conv(4, 6, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true);
        assertEquals(List.of("weight", "bias"), new ArrayList<>(c.namedParameters().keySet()));
        assertArrayEquals(new int[] {6, 2, 3, 2}, c.weight().shape());
        assertArrayEquals(new int[] {6}, c.bias().shape());
        // kaiming_uniform_(a = √5) gives U(−1/√fanIn, 1/√fanIn), fanIn = 2·3·2 = 12; the bias uses the same bound
        double bound = 1 / Math.sqrt(12);
        for (float v : c.weight().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        for (float v : c.bias().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        assertEquals("Conv2d(4, 6, kernel_size=(3, 2), stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=2, bias=True)  # 78 params", c.toString());
    }

    @Test
    void unbatchedInputGivesUnbatchedOutput() {
        Conv2d c = new Conv2d(2, 3, 3, 1, 1);
        Tensor x = Tensor.randn(new Generator(5), 2, 4, 4);
        Tensor y = c.forward(x);
        assertArrayEquals(new int[] {3, 4, 4}, y.shape());
        assertArrayEquals(c.forward(x.unsqueeze(0)).squeeze(0).toFloatArray(), y.toFloatArray(), 0f);
    }

    @Test
    void oneByOneConvolutionIsAPerPixelLinearMap() {
        // with a 1×1 kernel, y[n, o, h, w] = b[o] + Σ_c W[o, c] x[n, c, h, w]
        Conv2d c = new Conv2d(3, 2, 1);
        Tensor x = Tensor.randn(new Generator(6), 2, 3, 2, 2);
        Tensor expected = x.permute(0, 2, 3, 1).matmul(c.weight().reshape(2, 3).t()).add(c.bias()).permute(0, 3, 1, 2);
        assertArrayEquals(expected.contiguous().toFloatArray(), c.forward(x).toFloatArray(), 1e-5f);
    }

    @Test
    void shapeErrorsNameTheLayerAndShapes() {
        Conv2d c = new Conv2d(3, 8, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 1, 28, 28)));
        assertEquals("Conv2d expects input [N, 3, H, W] or [3, H, W] (inChannels 3) but input shape is [2, 1, 28, 28]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 3 * 28 * 28)));
        var small = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(1, 3, 2, 5)));
        assertEquals("Conv2d: the padded input of size 2x5 is smaller than the (dilated) kernel of size 3x3 (input 2x5)", small.getMessage());
        var groups = assertThrows(IllegalArgumentException.class, () -> conv(4, 6, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 4, true));
        assertEquals("Conv2d: inChannels 4 and outChannels 6 must both be divisible by groups 4", groups.getMessage());
        var same = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 1, new int[] {3, 3}, new int[] {2, 2}, "same", new int[] {1, 1}, 1, true, new Generator(1)));
        assertEquals("Conv2d: padding \"same\" needs stride 1 but stride is [2, 2]", same.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 1, new int[] {3, 3}, new int[] {1, 1}, "full", new int[] {1, 1}, 1, true, new Generator(1)));
    }
}
