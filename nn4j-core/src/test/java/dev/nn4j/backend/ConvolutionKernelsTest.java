package dev.nn4j.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused convolution kernels ({@code conv2d}, {@code conv2dBackward}): the vector kernels (im2col per image + GEMM,
 * images over threads) against the scalar direct loops over odd geometries, the per-image im2col helpers against
 * the plane-wise im2col/col2im, the window rows ({@code im2rowHwc}) against the columns, and results that do not
 * depend on the thread count.
 */
class ConvolutionKernelsTest {
    private final ScalarKernels scalar = new ScalarKernels();
    private final VectorKernels vector = new VectorKernels();
    /** Tests set thread counts; each leaves the count it found. */
    private final int threadsBefore = Threads.get();

    @AfterEach
    void restoreThreads() {
        Threads.set(threadsBefore);
    }

    /** C, H, W, kH, kW, sH, sW, padTop, padBottom, padLeft, padRight, dH, dW; odd sizes, strides, padding and dilation. */
    private static final int[][] GEOMETRIES = {
            {1, 28, 28, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1},   // the cnn preset's first layer
            {3, 7, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
            {2, 5, 6, 3, 2, 2, 1, 1, 1, 0, 0, 1, 2},
            {5, 13, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},
            {4, 9, 11, 5, 3, 3, 2, 2, 1, 0, 2, 1, 1},
            {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},
            {3, 6, 31, 2, 4, 1, 3, 1, 0, 3, 1, 2, 1},
            {5, 7, 9, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1},     // the 2 x 2 stride-2 pooling window, odd sizes
            {3, 24, 24, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1},
            {9, 8, 7, 3, 3, 1, 1, 1, 1, 0, 1, 1, 2},     // enough rows (81) for the weight gradient by window rows, padded and dilated
            {13, 9, 10, 3, 3, 2, 1, 0, 1, 1, 1, 1, 1},
    };

    private static List<Window2d> windows() {
        List<Window2d> list = new ArrayList<>();
        for (int[] g : GEOMETRIES) {
            list.add(Window2d.of("test", g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12]));
        }
        return list;
    }

    /**
     * Both kernels sum the same terms in different orders (the scalar over (c, i, j) per output, the vector through the
     * packed GEMM). Each rounding is at most 2⁻²⁴ of a partial sum, and a partial sum is at most M = the same sum over
     * absolute values, which the test computes with the scalar kernel on |inputs|; with at most a few hundred terms per
     * sum, 1e-5·M bounds the difference while still catching a wrong or missing term (error of order one term).
     */
    private static void assertWithin(float[] expected, float[] actual, float[] magnitude, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * magnitude[i] + 1e-6;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    what + " at " + i + ": scalar " + expected[i] + ", vector " + actual[i] + ", tolerance " + tol);
        }
    }

    @Test
    void vectorConvolutionMatchesScalarDefinitionOverOddGeometriesAndBatchSizes() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (Window2d w : windows()) {
            for (int N : new int[] {1, 3, 5, 9}) {
                for (int O : new int[] {1, 7, 32}) {
                    int K = w.rows(), L = w.positions();
                    float[] x = random(rnd, N * w.C() * w.H() * w.W()), weight = random(rnd, O * K), bias = random(rnd, O);
                    String where = w + " N=" + N + " O=" + O;
                    for (float[] b : new float[][] {bias, null}) {
                        float[] s = new float[N * O * L], v = new float[N * O * L], m = new float[N * O * L];
                        scalar.conv2d(x, N, w, weight, b, false, null, O, s, null);
                        vector.conv2d(x, N, w, weight, b, false, null, O, v, null);
                        scalar.conv2d(abs(x), N, w, abs(weight), b == null ? null : abs(b), false, null, O, m, null);
                        assertWithin(s, v, m, "conv2d " + where + (b == null ? " no bias" : ""));
                    }

                    float[] g = random(rnd, N * O * L);
                    float[] sdx = new float[x.length], sdw = new float[weight.length], sdb = new float[O];
                    float[] vdx = new float[x.length], vdw = new float[weight.length], vdb = new float[O];
                    float[] mdx = new float[x.length], mdw = new float[weight.length], mdb = new float[O];
                    scalar.conv2dBackward(x, g, null, null, null, N, w, weight, O, sdx, sdw, sdb);
                    vector.conv2dBackward(x, g, null, null, null, N, w, weight, O, vdx, vdw, vdb);
                    scalar.conv2dBackward(abs(x), abs(g), null, null, null, N, w, abs(weight), O, mdx, mdw, mdb);
                    // dW and dB sum N·L terms: scale the bound by the extra terms beyond a few hundred
                    float scale = Math.max(1f, N * L / 300f);
                    for (int i = 0; i < mdw.length; i++) mdw[i] *= scale;
                    for (int i = 0; i < mdb.length; i++) mdb[i] *= scale;
                    assertWithin(sdx, vdx, mdx, "dX " + where);
                    assertWithin(sdw, vdw, mdw, "dWeight " + where);
                    assertWithin(sdb, vdb, mdb, "dBias " + where);

                    // outputs not asked for stay untouched (null), the others are unchanged by their absence
                    float[] onlyW = new float[weight.length];
                    vector.conv2dBackward(x, g, null, null, null, N, w, weight, O, null, onlyW, null);
                    assertArrayEquals(vdw, onlyW, "dWeight alone " + where);
                    float[] onlyX = new float[x.length];
                    vector.conv2dBackward(x, g, null, null, null, N, w, weight, O, onlyX, null, null);
                    assertArrayEquals(vdx, onlyX, "dX alone " + where);
                }
            }
        }
    }

    /**
     * With the ReLU fused, each kernel gives the bits of its own convolution followed by the ReLU kernels: forward
     * values, and gradients equal to the plain backward of {@code reluGrad(g, output)}, for any thread count.
     */
    @Test
    void reluFusedConvolutionEqualsConvolutionThenReluBitForBit() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (Window2d w : windows()) {
            int N = 5, O = 7, K = w.rows(), L = w.positions();
            float[] x = random(rnd, N * w.C() * w.H() * w.W()), weight = random(rnd, O * K), g = random(rnd, N * O * L);
            for (float[] bias : new float[][] {random(rnd, O), null}) {
                for (Kernels k : new Kernels[] {scalar, vector}) {
                    for (int threads : k == scalar ? new int[] {1} : new int[] {1, 2, 3}) {
                        Threads.set(threads);
                        String where = k.getClass().getSimpleName() + " " + w + (bias == null ? " no bias" : "") + ", threads " + threads;
                        float[] plain = new float[N * O * L], relu = new float[plain.length], fused = new float[plain.length];
                        k.conv2d(x, N, w, weight, bias, false, null, O, plain, null);
                        k.unary(UnaryFn.RELU, plain, relu, plain.length);
                        Arrays.fill(fused, Float.NaN);
                        k.conv2d(x, N, w, weight, bias, true, null, O, fused, null);
                        assertArrayEquals(relu, fused, "forward " + where);

                        float[] masked = new float[g.length];
                        k.reluGrad(g, plain, masked, g.length);
                        float[][] expected = {new float[x.length], new float[weight.length], new float[O]};
                        float[][] actual = {new float[x.length], new float[weight.length], new float[O]};
                        k.conv2dBackward(x, masked, null, null, null, N, w, weight, O, expected[0], expected[1], expected[2]);
                        k.conv2dBackward(x, g, fused, null, null, N, w, weight, O, actual[0], actual[1], actual[2]);
                        for (int i = 0; i < 3; i++) assertArrayEquals(expected[i], actual[i], "gradient " + i + " " + where);
                        float[] onlyBias = new float[O];
                        k.conv2dBackward(x, g, fused, null, null, N, w, weight, O, null, null, onlyBias);
                        assertArrayEquals(expected[2], onlyBias, "bias gradient alone " + where);
                    }
                }
            }
        }
    }

    /**
     * With max pooling fused (and the ReLU or not), each kernel gives the bits of its own convolution, ReLU and pooling
     * kernels in turn, forward and backward, for pooling windows that tile, overlap, or leave a border, at any thread
     * count; ties and non-positive maxima (which the ReLU's gradient zeroes) are frequent with these inputs.
     */
    @Test
    void poolFusedConvolutionEqualsConvolutionReluAndPoolingInTurnBitForBit() {
        SplittableRandom rnd = new SplittableRandom(14);
        for (Window2d w : windows()) {
            int N = 5, O = 6, K = w.rows(), L = w.positions(), PH = w.outH(), PW = w.outW();
            List<Window2d> pools = new ArrayList<>();
            if (PH >= 2 && PW >= 2) pools.add(Window2d.of("pool", 1, PH, PW, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1));
            if (PH >= 2 && PW >= 3) pools.add(Window2d.of("pool", 1, PH, PW, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1));
            if (PW >= 3) pools.add(Window2d.of("pool", 1, PH, PW, 1, 2, 1, 1, 0, 0, 0, 0, 1, 2));
            float[] x = random(rnd, N * w.C() * w.H() * w.W()), weight = random(rnd, O * K), bias = random(rnd, O);
            for (Window2d pool : pools) {
                if (pool.outH() < 1 || pool.outW() < 1) continue;
                int PL = pool.positions();
                float[] g = random(rnd, N * O * PL);
                for (boolean relu : new boolean[] {true, false}) {
                    for (Kernels k : new Kernels[] {scalar, vector}) {
                        for (int threads : k == scalar ? new int[] {1} : new int[] {1, 2, 3}) {
                            Threads.set(threads);
                            String where = k.getClass().getSimpleName() + " " + w + " pool " + pool + (relu ? " relu" : "") + ", threads " + threads;
                            float[] full = new float[N * O * L], pooled = new float[N * O * PL], fused = new float[pooled.length];
                            int[] argmax = new int[pooled.length], fusedArgmax = new int[pooled.length];
                            k.conv2d(x, N, w, weight, bias, relu, null, O, full, null);
                            k.maxPool2d(full, N * O, pool, pooled, argmax);
                            Arrays.fill(fused, Float.NaN);
                            k.conv2d(x, N, w, weight, bias, relu, pool, O, fused, fusedArgmax);
                            assertArrayEquals(pooled, fused, "forward " + where);
                            assertArrayEquals(argmax, fusedArgmax, "argmax " + where);

                            float[] gFull = new float[full.length], gConv = new float[full.length];
                            k.maxPool2dBackward(g, argmax, N * O, pool, gFull);
                            if (relu) k.reluGrad(gFull, full, gConv, full.length);
                            else gConv = gFull;
                            float[][] expected = {new float[x.length], new float[weight.length], new float[O]};
                            float[][] actual = {new float[x.length], new float[weight.length], new float[O]};
                            k.conv2dBackward(x, gConv, null, null, null, N, w, weight, O, expected[0], expected[1], expected[2]);
                            k.conv2dBackward(x, g, relu ? fused : null, pool, fusedArgmax, N, w, weight, O, actual[0], actual[1], actual[2]);
                            for (int i = 0; i < 3; i++) assertArrayEquals(expected[i], actual[i], "gradient " + i + " " + where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorConvolutionGivesTheSameBitsForAnyThreadCount() {
        SplittableRandom rnd = new SplittableRandom(5);
        // the second case is large enough (N·O·L = 342,144) for the bias gradient's channels to split over threads
        int[][] cases = {{8, 12, 12, 11, 16}, {8, 20, 20, 33, 32}};  // C, H, W, N, O
        for (int[] c : cases) {
            Window2d w = Window2d.of("test", c[0], c[1], c[2], 3, 3, 1, 1, 0, 0, 0, 0, 1, 1);
            int N = c[3], O = c[4], K = w.rows(), L = w.positions();
            float[] x = random(rnd, N * w.C() * w.H() * w.W()), weight = random(rnd, O * K), bias = random(rnd, O), g = random(rnd, N * O * L);
            float[][] reference = null;
            for (int threads : new int[] {1, 2, 3, 8}) {
                Threads.set(threads);
                float[] y = new float[N * O * L], dx = new float[x.length], dw = new float[weight.length], db = new float[O];
                vector.conv2d(x, N, w, weight, bias, false, null, O, y, null);
                vector.conv2dBackward(x, g, null, null, null, N, w, weight, O, dx, dw, db);
                float[][] now = {y, dx, dw, db};
                if (reference == null) reference = now;
                for (int i = 0; i < now.length; i++) assertArrayEquals(reference[i], now[i], "output " + i + " with " + threads + " threads, N=" + N);
            }
        }
    }

    @Test
    void imageColumnsEqualPlaneWiseIm2colAndCol2imInScalarAndVectorKernels() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (Window2d w : windows()) {
            int N = 3, image = w.C() * w.H() * w.W(), cols = w.rows() * w.positions();
            float[] x = random(rnd, N * image), expected = new float[N * cols];
            scalar.im2col(x, N, w, 0f, expected);
            float[] one = new float[cols];
            for (int n = 0; n < N; n++) {
                Arrays.fill(one, Float.NaN); // every entry must be written
                ScalarKernels.im2colImage(x, n * image, w, one);
                assertArrayEquals(Arrays.copyOfRange(expected, n * cols, (n + 1) * cols), one, "im2col image " + n + " " + w);
                Arrays.fill(one, Float.NaN);
                VectorConvolution.im2colImage(x, n * image, w, one);
                assertArrayEquals(Arrays.copyOfRange(expected, n * cols, (n + 1) * cols), one, "vector im2col image " + n + " " + w);
            }
            float[] c = random(rnd, N * cols), folded = new float[N * image], byImage = new float[N * image], byVector = new float[N * image];
            scalar.col2im(c, N, w, folded);
            for (int n = 0; n < N; n++) ScalarKernels.col2imImage(Arrays.copyOfRange(c, n * cols, (n + 1) * cols), w, byImage, n * image);
            assertArrayEquals(folded, byImage, "col2im " + w);
            for (int n = 0; n < N; n++) VectorConvolution.col2imImage(Arrays.copyOfRange(c, n * cols, (n + 1) * cols), w, byVector, n * image);
            assertArrayEquals(folded, byVector, "vector col2im " + w);
        }
    }

    /** Window rows of the image in [H·W, C] layout are the columns transposed, with rows reordered from (c, i, j) to (i, j, c). */
    @Test
    void windowRowsAreTheColumnsTransposedInWindowMajorOrder() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (Window2d w : windows()) {
            int C = w.C(), HW = w.H() * w.W(), K = w.rows(), L = w.positions(), kHW = w.kH() * w.kW();
            float[] x = random(rnd, C * HW), cols = new float[K * L], xHwc = new float[C * HW], rows = new float[L * K];
            ScalarKernels.im2colImage(x, 0, w, cols);
            VectorConvolution.transpose(x, 0, C, HW, xHwc, 0);
            for (int c = 0; c < C; c++) for (int p = 0; p < HW; p++) assertEquals(x[c * HW + p], xHwc[p * C + c], "transpose " + w);
            Arrays.fill(rows, Float.NaN); // every entry must be written
            VectorConvolution.im2rowHwc(xHwc, w, rows);
            for (int c = 0; c < C; c++) {
                for (int ij = 0; ij < kHW; ij++) {
                    for (int l = 0; l < L; l++) {
                        assertEquals(cols[(c * kHW + ij) * L + l], rows[l * K + ij * C + c], "row " + l + ", (c, ij) = (" + c + ", " + ij + ") " + w);
                    }
                }
            }
        }
    }

    /** Max pooling compares without arithmetic, so the threaded kernel equals the scalar one bit for bit, NaN included. */
    @Test
    void vectorMaxPoolingEqualsScalarBitForBitWithNaNAndAnyThreadCount() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (Window2d w : windows()) {
            if (w.padTop() > w.kH() / 2 || w.padLeft() > w.kW() / 2) continue; // pooling allows padding up to half the kernel
            int P = 37;
            float[] x = random(rnd, P * w.H() * w.W());
            for (int i = 0; i < x.length; i += 17) x[i] = Float.NaN;
            // ties everywhere: ±0, repeated values and two NaNs told apart by their bits decide which index wins
            float[] ties = {0f, -0f, 1f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0x7fc00001), 2f};
            float[] tied = new float[x.length];
            for (int i = 0; i < tied.length; i++) tied[i] = ties[rnd.nextInt(ties.length)];
            for (float[] input : new float[][] {x, tied}) {
                float[] s = new float[P * w.positions()], v = new float[s.length];
                int[] sa = new int[s.length], va = new int[s.length];
                scalar.maxPool2d(input, P, w, s, sa);
                for (int threads : new int[] {1, 2, 5}) {
                    Threads.set(threads);
                    vector.maxPool2d(input, P, w, v, va);
                    for (int i = 0; i < s.length; i++) {
                        assertTrue(Float.floatToIntBits(s[i]) == Float.floatToIntBits(v[i]), "max at " + i + " " + w + ", threads " + threads);
                    }
                    assertArrayEquals(sa, va, "argmax " + w + ", threads " + threads);
                }
            }
        }
    }

    /**
     * The pooling backward sends each output gradient to its window's argmax, adding where windows overlap, and
     * overwrites the whole input gradient (zero elsewhere): scalar and threaded kernels, bit for bit.
     */
    @Test
    void maxPoolingBackwardAddsEachGradientAtItsArgmaxAndOverwritesTheRest() {
        SplittableRandom rnd = new SplittableRandom(10);
        for (Window2d w : windows()) {
            if (w.padTop() > w.kH() / 2 || w.padLeft() > w.kW() / 2) continue;
            int P = 37, HW = w.H() * w.W();
            float[] x = random(rnd, P * HW), out = new float[P * w.positions()], g = random(rnd, out.length);
            int[] argmax = new int[out.length];
            scalar.maxPool2d(x, P, w, out, argmax);
            float[] expected = new float[x.length];
            for (int o = 0; o < out.length; o++) expected[o / w.positions() * HW + argmax[o]] += g[o];
            float[] s = new float[x.length];
            Arrays.fill(s, Float.NaN);
            scalar.maxPool2dBackward(g, argmax, P, w, s);
            assertArrayEquals(expected, s, "scalar " + w);
            for (int threads : new int[] {1, 2, 5}) {
                Threads.set(threads);
                float[] v = new float[x.length];
                Arrays.fill(v, Float.NaN);
                vector.maxPool2dBackward(g, argmax, P, w, v);
                assertArrayEquals(expected, v, "vector " + w + ", threads " + threads);
            }
        }
    }

    @Test
    void maxPoolingPicksTheFirstMaximumAndLetsNaNWin() {
        // one 2x3 plane, 2x2 windows at stride 1: [[1, 3, 3], [3, NaN, 0]]
        Window2d w = Window2d.of("test", 1, 2, 3, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1);
        float[] out = new float[2];
        int[] argmax = new int[2];
        scalar.maxPool2d(new float[] {1, 3, 3, 3, Float.NaN, 0}, 1, w, out, argmax);
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[1]), "NaN wins both windows");
        assertArrayEquals(new int[] {4, 4}, argmax);
        scalar.maxPool2d(new float[] {1, 3, 3, 3, 2, 0}, 1, w, out, argmax);
        assertArrayEquals(new float[] {3, 3}, out);
        assertArrayEquals(new int[] {1, 1}, argmax, "ties: the first maximum in row-major window order");
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static float[] abs(float[] x) {
        float[] a = new float[x.length];
        for (int i = 0; i < x.length; i++) a[i] = Math.abs(x[i]);
        return a;
    }
}
