package dev.nn4j.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

import java.util.Arrays;

import static dev.nn4j.backend.ScalarKernels.col2imPlane;
import static dev.nn4j.backend.ScalarKernels.im2colPlane;
import static dev.nn4j.backend.ScalarKernels.owFrom;
import static dev.nn4j.backend.ScalarKernels.owTo;
import static dev.nn4j.backend.VectorKernels.L;
import static dev.nn4j.backend.PackedGemm.MIN_ROWS;
import static dev.nn4j.backend.PackedGemm.NR;
import static dev.nn4j.backend.VectorKernels.S;
import static dev.nn4j.backend.VectorKernels.SMALL_GEMM;
import static dev.nn4j.backend.VectorKernels.sumContiguous;

/**
 * The convolution and pooling kernels of {@link VectorKernels} (im2col/col2im over threads, the fused one-group
 * convolution forward and backward, max pooling), kept apart so that each file has one subject; the matrix products
 * go back through the {@link Kernels} they are given. Static and package-private: only VectorKernels calls them.
 */
final class VectorConvolution {
    private VectorConvolution() {}

    // ------------------------------------------------------------------ im2col / col2im

    /** Column entries worth a thread of their own; below this, im2col and col2im run on the caller's thread. */
    static final int IM2COL_PARALLEL = 1 << 16;

    /** im2col with the image planes {@code (n, c)} spread over threads; each plane writes its own column rows, so the result does not depend on the thread count. */
    static void im2col(float[] x, int N, Window2d w, float padValue, float[] out) {
        int planes = N * w.C();
        Threads.forEach(planeTasks(planes, w), t -> forPlanes(t, planes, w, plane -> im2colPlane(x, w, padValue, out, plane)));
    }

    /** col2im with the image planes spread over threads; each plane accumulates only into its own pixels. */
    static void col2im(float[] cols, int N, Window2d w, float[] out) {
        int planes = N * w.C();
        Threads.forEach(planeTasks(planes, w), t -> forPlanes(t, planes, w, plane -> col2imPlane(cols, w, out, plane)));
    }

    private static int planeTasks(int planes, Window2d w) {
        long work = (long) planes * w.kH() * w.kW() * w.positions();
        return (int) Math.max(1, Math.min(Math.min(planes, Threads.get() * 4L), work / IM2COL_PARALLEL));
    }

    /** Runs {@code body} over the contiguous share {@code task} of {@code planes}, split as evenly as {@link #planeTasks} allows. */
    private static void forPlanes(int task, int planes, Window2d w, java.util.function.IntConsumer body) {
        int tasks = planeTasks(planes, w);
        int from = (int) ((long) planes * task / tasks), to = (int) ((long) planes * (task + 1) / tasks);
        for (int plane = from; plane < to; plane++) body.accept(plane);
    }

    /**
     * {@link ScalarKernels#im2colImage} with each run of a stride-1 window row copied as vectors ({@link #strideOneRuns});
     * other strides take the scalar kernel. Same values. The cnn's second layer, one thread, a harness alternating the
     * two kernels in one JVM: 0.81–0.86× the scalar kernel's time (43–55 against 49–68 µs per image).
     */
    static void im2colImage(float[] x, int xOffset, Window2d w, float[] out) {
        if (w.strideW() != 1) ScalarKernels.im2colImage(x, xOffset, w, out);
        else strideOneRuns(x, xOffset, w, out, false);
    }

    /**
     * {@link ScalarKernels#col2imImage} with each run of a stride-1 window row added as vectors; other strides take the
     * scalar kernel. Every pixel receives the same additions in the same order, so the same sums. Same harness as
     * {@link #im2colImage}: 0.34–0.38× the scalar kernel's time (49–58 against 129–171 µs per image).
     */
    static void col2imImage(float[] cols, Window2d w, float[] out, int outOffset) {
        if (w.strideW() != 1) ScalarKernels.col2imImage(cols, w, out, outOffset);
        else strideOneRuns(out, outOffset, w, cols, true);
    }

    /**
     * The stride-1 window rows of one image ({@code image[offset ..]}, {@code [C, H, W]}) against its columns
     * ({@code [C·kH·kW, outH·outW]}), in the scalar kernels' order: each run inside the image is copied into the columns
     * (im2col, the rest of the row zeroed), or, when {@code adjoint}, the columns' run is added into the image (col2im).
     */
    private static void strideOneRuns(float[] image, int offset, Window2d w, float[] cols, boolean adjoint) {
        int H = w.H(), W = w.W(), outH = w.outH(), outW = w.outW();
        int at = 0;
        for (int c = 0; c < w.C(); c++) {
            int plane = offset + c * H * W;
            for (int i = 0; i < w.kH(); i++) {
                for (int j = 0; j < w.kW(); j++) {
                    int dj = j * w.dilationW() - w.padLeft();
                    int lo = owFrom(dj, 1), hi = Math.max(lo, owTo(dj, 1, W, outW));
                    for (int oh = 0; oh < outH; oh++, at += outW) {
                        int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                        boolean inside = ih >= 0 && ih < H;
                        int run = plane + ih * W + dj + lo;
                        if (adjoint) {
                            if (inside) addInto(cols, at + lo, image, run, hi - lo);
                        } else if (!inside) {
                            Arrays.fill(cols, at, at + outW, 0f);
                        } else {
                            if (lo > 0) Arrays.fill(cols, at, at + lo, 0f);
                            copy(image, run, cols, at + lo, hi - lo);
                            if (hi < outW) Arrays.fill(cols, at + hi, at + outW, 0f);
                        }
                    }
                }
            }
        }
    }

    /** {@code dst[d + i] = src[s + i]} for {@code i < n}. */
    private static void copy(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        for (; i < n; i++) dst[d + i] = src[s + i];
    }

    // ------------------------------------------------------------------ fused convolution (one group)

    /** Images per backward task: fixed, so that the weight gradient is summed in the same order for any thread count. */
    static final int CONV_CHUNK = 4;
    /**
     * Each thread's convolution buffers, kept between calls: an image's columns (or rows, {@link #im2rowHwc}), their
     * gradient, a partial weight gradient, the image in {@code [H·W, C]} layout, the packed weight ({@link #packedWeight}),
     * an image's output gradient through the ReLU (and the pooling), an image's output before its pooling.
     */
    private static final ThreadLocal<float[][]> CONV_BUFFERS = ThreadLocal.withInitial(() -> new float[7][0]);

    /**
     * op(weight) ({@code M × K}, transposed when {@code trans}) packed once in the calling thread's buffer for the
     * products {@code op(weight) · B} with B {@code K × N} of every image, when those take the packed GEMM; else null.
     * Packing it per image, a transpose of the weight each time, took about 5 % of the cnn step's samples.
     */
    private static float[] packedWeight(float[] weight, boolean trans, int M, int N, int K) {
        if (!VectorKernels.packedPath(trans, false, M, N, K)) return null;
        return PackedGemm.packAll(weight, 0, trans, M, K, convBuffer(4, PackedGemm.packedSize(M, K)));
    }

    private static float[] convBuffer(int which, int size) {
        float[][] buffers = CONV_BUFFERS.get();
        if (buffers[which].length < size) buffers[which] = new float[size];
        return buffers[which];
    }

    /**
     * Images spread over threads; each image is im2col into a per-thread buffer (no {@code [N, C·kH·kW, L]} tensor), one
     * GEMM {@code weight · cols} written straight into its slice of y, then the bias and the ReLU per output row while
     * the image's output is in cache. With {@code pool}, the GEMM writes into a per-thread buffer instead, which is
     * pooled into y and argmax: the full-size output is never written. A GEMM inside a task runs on that task's thread;
     * with one image the GEMM itself is spread over the threads.
     */
    static void conv2d(Kernels k, float[] x, int N, Window2d w, float[] weight, float[] bias, boolean relu,
                       Window2d pool, int O, float[] y, int[] argmax) {
        int K = w.rows(), L = w.positions(), image = w.C() * w.H() * w.W();
        float[] packed = packedWeight(weight, false, O, L, K);
        boolean twoByTwo = pool != null && twoByTwo(pool);
        Threads.forEach(N, n -> {
            float[] out = pool == null ? y : convBuffer(6, O * L);
            int at = pool == null ? n * O * L : 0;
            float[] cols = convBuffer(0, K * L);
            im2colImage(x, n * image, w, cols);
            if (packed != null) PackedGemm.gemmPackedA(packed, cols, 0, false, out, at, O, L, K);
            else k.matmul(weight, 0, false, cols, 0, false, out, at, O, L, K);
            if (bias != null || relu) {
                for (int o = 0, row = at; o < O; o++, row += L) biasRelu(bias, o, relu, out, row, L);
            }
            if (pool != null) {
                for (int o = 0, PL = pool.positions(); o < O; o++) maxPoolPlane(out, o * L, pool, twoByTwo, y, argmax, (n * O + o) * PL);
            }
        });
    }

    /**
     * Chunks of {@link #CONV_CHUNK} images spread over threads. Per image: {@code dX[n] = col2im(weightᵀ · g[n])} and
     * {@code g[n] · cols_nᵀ} (columns recomputed rather than kept from the forward pass) added into the chunk's partial
     * weight gradient; the partials, then the bias row sums, are added in image order on the calling thread.
     */
    static void conv2dBackward(Kernels k, float[] x, float[] g, float[] reluOut, Window2d pool, int[] argmax, int N,
                               Window2d w, float[] weight, int O, float[] dX, float[] dWeight, float[] dBias) {
        int K = w.rows(), L = w.positions(), image = w.C() * w.H() * w.W(), OK = O * K;
        int chunks = (N + CONV_CHUNK - 1) / CONV_CHUNK;
        // When the weight-gradient product takes the packed GEMM, give it as op(B) the image's window rows
        // ([L, kH·kW·C], block copies from the image in [H·W, C] layout), which it packs by row copies, rather than the
        // columns, which it would transpose into panels (the largest packing cost of the step: 288 × 576 floats per
        // image in the cnn preset, against 32 × 676 for the image). The product is dWeight with its columns in
        // (i, j, c) order, put back in (c, i, j) order at the end; every entry is the same sum in the same order as
        // with the columns, so the bits do not change. Measured (JFR, BENCHMARKS.md): most of the saved transposing is
        // spent again on the row-copy packing and on building the rows; the step gains about 4% of its samples.
        boolean byRows = dWeight != null && O >= MIN_ROWS && K >= NR && (long) O * K * L >= SMALL_GEMM;
        float[] partial = dWeight == null ? null : chunks == 1 && !byRows ? dWeight : new float[chunks * OK];
        float[] packedT = dX == null ? null : packedWeight(weight, true, K, L, O);
        // through a ReLU or a pooling, each image's gradient is built in a per-thread buffer (in cache for both
        // products), and the bias rows are summed from it there, then added over the images in order below
        float[] rowSums = (reluOut != null || pool != null) && dBias != null ? new float[N * O] : null;
        if (dWeight != null || dX != null || rowSums != null) {
            Threads.forEach(chunks, t -> {
                for (int n = t * CONV_CHUNK, end = Math.min(N, n + CONV_CHUNK); n < end; n++) {
                    float[] gn = g;
                    int gOffset = n * O * L;
                    if (pool != null) {
                        gn = convBuffer(5, O * L);
                        for (int o = 0, PL = pool.positions(); o < O; o++) {
                            int from = (n * O + o) * PL;
                            ScalarKernels.maxPoolBackwardPlane(g, argmax, from, pool, gn, o * L);
                            if (reluOut != null) ScalarKernels.reluGradAtArgmax(reluOut, argmax, from, PL, gn, o * L);
                        }
                        gOffset = 0;
                    } else if (reluOut != null) {
                        gn = convBuffer(5, O * L);
                        VectorKernels.reluGrad(g, reluOut, gOffset, gn, 0, O * L);
                        gOffset = 0;
                    }
                    if (rowSums != null) {
                        for (int o = 0; o < O; o++) rowSums[n * O + o] = sumContiguous(gn, o * L, L);
                    }
                    if (partial != null) {
                        boolean first = n == t * CONV_CHUNK;
                        float[] target = first ? partial : convBuffer(2, OK);
                        int at = first ? t * OK : 0;
                        float[] cols = convBuffer(0, K * L);
                        if (byRows) {
                            float[] xHwc = convBuffer(3, image);
                            transpose(x, n * image, w.C(), w.H() * w.W(), xHwc, 0);
                            im2rowHwc(xHwc, w, cols);
                            k.matmul(gn, gOffset, false, cols, 0, false, target, at, O, K, L);
                        } else {
                            im2colImage(x, n * image, w, cols);
                            k.matmul(gn, gOffset, false, cols, 0, true, target, at, O, K, L);
                        }
                        if (!first) addPartial(target, partial, t * OK, OK);
                    }
                    if (dX != null) {
                        float[] dCols = convBuffer(1, K * L);
                        if (packedT != null) PackedGemm.gemmPackedA(packedT, gn, gOffset, false, dCols, 0, K, L, O);
                        else k.matmul(weight, 0, true, gn, gOffset, false, dCols, 0, K, L, O);
                        Arrays.fill(dX, n * image, (n + 1) * image, 0f);
                        col2imImage(dCols, w, dX, n * image);
                    }
                }
            });
        }
        if (partial != null && partial != dWeight) {
            for (int t = 1; t < chunks; t++) addInto(partial, t * OK, partial, 0, OK);
            if (byRows) {
                // partial[o, (i·kW + j)·C + c] → dWeight[o, (c·kH + i)·kW + j]
                int C = w.C(), kHW = w.kH() * w.kW();
                for (int o = 0; o < O; o++) {
                    for (int ij = 0; ij < kHW; ij++) {
                        for (int c = 0, src = o * K + ij * C; c < C; c++) dWeight[o * K + c * kHW + ij] = partial[src + c];
                    }
                }
            } else {
                System.arraycopy(partial, 0, dWeight, 0, OK);
            }
        }
        if (rowSums != null) {
            for (int o = 0; o < O; o++) {
                float acc = 0f;
                for (int n = 0; n < N; n++) acc += rowSums[n * O + o];
                dBias[o] = acc;
            }
        } else if (dBias != null) {
            // output channels over threads; each channel's sum runs over the images in order, whatever the split
            int tasks = (int) Math.max(1, Math.min(Math.min(O, (long) Threads.get() * Threads.TASKS_PER_THREAD), (long) N * O * L / IM2COL_PARALLEL));
            Threads.forEach(tasks, t -> {
                for (int o = O * t / tasks, end = O * (t + 1) / tasks; o < end; o++) {
                    float acc = 0f;
                    for (int n = 0; n < N; n++) acc += sumContiguous(g, (n * O + o) * L, L);
                    dBias[o] = acc;
                }
            });
        }
    }

    /**
     * {@code dst[d + i] += src[i]} for {@code i < n}, a plain loop that C2 vectorizes itself. {@link #addInto} here,
     * inlined into the backward task, ran in some JVMs with its vector loads not intrinsified, each allocating a
     * float[]: 26.6 against 22.1 MB per cnn step, in one of two runs (JFR placed 250 MB/s of it there).
     */
    private static void addPartial(float[] src, float[] dst, int d, int n) {
        for (int i = 0; i < n; i++) dst[d + i] += src[i];
    }

    /** {@code dst[d + i] += src[s + i]} for {@code i < n}. */
    private static void addInto(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < n; i++) dst[d + i] += src[s + i];
    }

    /** {@code dst[d + i] += bias[o]} (when there is a bias), then ReLU's value (when {@code relu}), for {@code i < n}. */
    private static void biasRelu(float[] bias, int o, boolean relu, float[] dst, int d, int n) {
        int i = 0;
        FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[o]), zero = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, dst, d + i);
            if (bias != null) v = v.add(b);
            if (relu) v = v.blend(zero, v.compare(VectorOperators.LE, 0f));  // NaN compares false: stays NaN
            v.intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            float v = bias == null ? dst[d + i] : dst[d + i] + bias[o];
            dst[d + i] = relu && v <= 0 ? 0f : v;
        }
    }

    /** Max pooling with the planes spread over threads (each plane writes only its own outputs). */
    static void maxPool2d(float[] x, int P, Window2d w, float[] out, int[] argmax) {
        int HW = w.H() * w.W(), L = w.positions();
        boolean twoByTwo = twoByTwo(w);
        Threads.forEach(planeTasks(P, w), t -> forPlanes(t, P, w, p -> maxPoolPlane(x, p * HW, w, twoByTwo, out, argmax, p * L)));
    }

    /** Whether {@code w} is 2 × 2 at stride 2, without padding or dilation, inside its plane: {@link #maxPool2x2Plane}'s case. */
    private static boolean twoByTwo(Window2d w) {
        return w.kH() == 2 && w.kW() == 2 && w.strideH() == 2 && w.strideW() == 2 && w.padTop() == 0
                && w.padLeft() == 0 && w.dilationH() == 1 && w.dilationW() == 1 && 2 * w.outH() <= w.H() && 2 * w.outW() <= w.W();
    }

    /** One plane of {@link #maxPool2d}, the plane {@code x[src ..]} into {@code out} and {@code argmax} from {@code dst}. */
    private static void maxPoolPlane(float[] x, int src, Window2d w, boolean twoByTwo, float[] out, int[] argmax, int dst) {
        if (twoByTwo) maxPool2x2Plane(x, src, w, out, argmax, dst);
        else ScalarKernels.maxPoolPlane(x, src, w, out, argmax, dst);
    }

    /** {@link ScalarKernels#maxPool2dBackward} with the planes spread over threads (each plane writes only its own pixels). */
    static void maxPool2dBackward(float[] g, int[] argmax, int P, Window2d w, float[] dX) {
        int HW = w.H() * w.W(), L = w.positions();
        Threads.forEach(planeTasks(P, w), t -> forPlanes(t, P, w, p -> ScalarKernels.maxPoolBackwardPlane(g, argmax, p * L, w, dX, p * HW)));
    }

    // ------------------------------------------------------------------ convolution and pooling helpers

    /** {@code dst[d + c·rows + r] = src[s + r·cols + c]}: a {@code [rows, cols]} block transposed, in 16 × 16 tiles so that reads and writes both stay in a few cache lines. */
    static void transpose(float[] src, int s, int rows, int cols, float[] dst, int d) {
        final int T = 16;
        for (int r0 = 0; r0 < rows; r0 += T) {
            int r1 = Math.min(rows, r0 + T);
            for (int c0 = 0; c0 < cols; c0 += T) {
                int c1 = Math.min(cols, c0 + T);
                for (int c = c0; c < c1; c++) {
                    for (int r = r0, o = d + c * rows; r < r1; r++) dst[o + r] = src[s + r * cols + c];
                }
            }
        }
    }

    /**
     * The window rows of one image given in {@code [H·W, C]} layout ({@code xHwc}): {@code out[l, (i·kW + j)·C + c]} for
     * output position {@code l = oh·outW + ow} is pixel {@code (ih, iw)} of channel c, zero outside the image. The
     * transpose of {@link ScalarKernels#im2colImage} with its rows reordered from {@code (c, i, j)} to {@code (i, j, c)}:
     * each window row is {@code kW·C} contiguous floats when the window is inside the image and undilated, so it is
     * built from block copies.
     */
    static void im2rowHwc(float[] xHwc, Window2d w, float[] out) {
        int C = w.C(), H = w.H(), W = w.W(), kW = w.kW(), run = kW * C;
        int dst = 0;
        for (int oh = 0; oh < w.outH(); oh++) {
            for (int ow = 0; ow < w.outW(); ow++) {
                int iw0 = ow * w.strideW() - w.padLeft();
                boolean whole = w.dilationW() == 1 && iw0 >= 0 && iw0 + kW <= W;
                for (int i = 0; i < w.kH(); i++) {
                    int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                    if (ih < 0 || ih >= H) {
                        Arrays.fill(out, dst, dst + run, 0f);
                        dst += run;
                    } else if (whole) {
                        System.arraycopy(xHwc, (ih * W + iw0) * C, out, dst, run);
                        dst += run;
                    } else {
                        for (int j = 0; j < kW; j++, dst += C) {
                            int iw = iw0 + j * w.dilationW();
                            if (iw < 0 || iw >= W) Arrays.fill(out, dst, dst + C, 0f);
                            else System.arraycopy(xHwc, (ih * W + iw) * C, out, dst, C);
                        }
                    }
                }
            }
        }
    }

    /** Swaps each even lane with the odd lane after it: lane 2e then holds the second input of output e's pair. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(S, lane -> lane ^ 1);

    /**
     * {@link ScalarKernels#maxPoolPlane} for the common 2 × 2 window at stride 2 without padding or dilation, L/2
     * outputs at a time: each row's pairs are compared lane-wise against their swapped neighbours, then the two rows,
     * with the scalar kernel's rule (a later value wins when strictly greater, or NaN over a number). That "first
     * maximum" choice is associative, so pairs then rows pick the same value and index as the scalar kernel's four
     * comparisons in reading order. The scalar version's branches followed random data and mispredicted: it took about
     * 5 % of the cnn step's samples. The last outputs of a row, fewer than L/2, take a masked load.
     */
    static void maxPool2x2Plane(float[] x, int src, Window2d w, float[] out, int[] argmax, int dst) {
        int W = w.W(), outH = w.outH(), outW = w.outW(), half = L / 2;
        float[] lanes = POOL_LANES.get();
        VectorMask<Float> all = S.maskAll(true);
        for (int oh = 0; oh < outH; oh++) {
            int r0 = 2 * oh * W, r1 = r0 + W;
            for (int ow = 0, n; ow < outW; ow += n, dst += n) {
                // the row's last outputs: a masked load of their inputs only (the row may end the array)
                n = Math.min(half, outW - ow);
                VectorMask<Float> inputs = n == half ? all : S.indexInRange(0, 2 * n);
                FloatVector v0 = FloatVector.fromArray(S, x, src + r0 + 2 * ow, inputs), v1 = FloatVector.fromArray(S, x, src + r1 + 2 * ow, inputs);
                FloatVector s0 = v0.rearrange(SWAP_PAIRS), s1 = v1.rearrange(SWAP_PAIRS);
                VectorMask<Float> t0 = laterWins(v0, s0), t1 = laterWins(v1, s1);
                FloatVector m0 = v0.blend(s0, t0), m1 = v1.blend(s1, t1);
                VectorMask<Float> t2 = laterWins(m0, m1);
                m0.blend(m1, t2).intoArray(lanes, 0);
                long b0 = t0.toLong(), b1 = t1.toLong(), b2 = t2.toLong();
                for (int e = 0; e < n; e++) {
                    int lane = 2 * e;
                    // arithmetic, not a branch: which input won is as random as the data
                    int row = (int) (b2 >>> lane) & 1, second = (int) (((b1 & -row) | (b0 & (row - 1L))) >>> lane) & 1;
                    out[dst + e] = lanes[lane];
                    argmax[dst + e] = r0 + 2 * (ow + e) + row * W + second;
                }
            }
        }
    }

    /** Each thread's lanes of the pooled vector, read back one output at a time. */
    private static final ThreadLocal<float[]> POOL_LANES = ThreadLocal.withInitial(() -> new float[L]);

    /** Lanes where {@code later} replaces {@code first} as the maximum: strictly greater, or NaN over a number. */
    private static VectorMask<Float> laterWins(FloatVector first, FloatVector later) {
        return later.compare(VectorOperators.GT, first).or(later.compare(VectorOperators.NE, later).andNot(first.compare(VectorOperators.NE, first)));
    }
}
