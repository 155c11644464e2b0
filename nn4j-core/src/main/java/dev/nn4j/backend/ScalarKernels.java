package dev.nn4j.backend;

/**
 * Scalar reference kernels. Correct over fast: every other backend is tested against these, and they are
 * what runs when the Vector API is not available. Loops are written so that C2 can still unroll and
 * auto-vectorise the contiguous inner cases.
 */
public class ScalarKernels implements Kernels {

    @Override
    public void unary(UnaryFn fn, float[] x, float[] out, int n) {
        switch (fn) {
            case NEG -> { for (int i = 0; i < n; i++) out[i] = -x[i]; }
            case RELU -> { for (int i = 0; i < n; i++) out[i] = x[i] <= 0 ? 0f : x[i]; }
            default -> { for (int i = 0; i < n; i++) out[i] = fn.apply(x[i]); }
        }
    }

    @Override
    public void binary(BinaryFn fn, float[] a, int aOffset, int[] aStrides, float[] b, int bOffset, int[] bStrides,
                       float[] out, int[] shape) {
        int rank = shape.length;
        if (rank == 0) {
            out[0] = fn.apply(a[aOffset], b[bOffset]);
            return;
        }
        int inner = shape[rank - 1];
        int as = aStrides[rank - 1], bs = bStrides[rank - 1];
        int rows = out.length / Math.max(inner, 1);
        int[] idx = new int[rank];
        int ao = aOffset, bo = bOffset;
        for (int row = 0, o = 0; row < rows; row++, o += inner) {
            if (as == 1 && bs == 1) {
                switch (fn) {
                    case ADD -> { for (int i = 0; i < inner; i++) out[o + i] = a[ao + i] + b[bo + i]; }
                    case SUB -> { for (int i = 0; i < inner; i++) out[o + i] = a[ao + i] - b[bo + i]; }
                    case MUL -> { for (int i = 0; i < inner; i++) out[o + i] = a[ao + i] * b[bo + i]; }
                    case DIV -> { for (int i = 0; i < inner; i++) out[o + i] = a[ao + i] / b[bo + i]; }
                    default -> { for (int i = 0; i < inner; i++) out[o + i] = fn.apply(a[ao + i], b[bo + i]); }
                }
            } else if (as == 1 && bs == 0) {
                float bv = b[bo];
                switch (fn) {
                    case ADD -> { for (int i = 0; i < inner; i++) out[o + i] = a[ao + i] + bv; }
                    case MUL -> { for (int i = 0; i < inner; i++) out[o + i] = a[ao + i] * bv; }
                    default -> { for (int i = 0; i < inner; i++) out[o + i] = fn.apply(a[ao + i], bv); }
                }
            } else {
                for (int i = 0; i < inner; i++) out[o + i] = fn.apply(a[ao + i * as], b[bo + i * bs]);
            }
            // advance the outer multi-index (odometer over dims 0..rank-2)
            for (int d = rank - 2; d >= 0; d--) {
                ao += aStrides[d];
                bo += bStrides[d];
                if (++idx[d] < shape[d]) break;
                ao -= aStrides[d] * shape[d];
                bo -= bStrides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    @Override
    public void where(float[] cond, int cOffset, int[] cStrides, float[] a, int aOffset, int[] aStrides,
                      float[] b, int bOffset, int[] bStrides, float[] out, int[] shape) {
        int rank = shape.length;
        int[] idx = new int[rank];
        int co = cOffset, ao = aOffset, bo = bOffset;
        for (int o = 0; o < out.length; o++) {
            out[o] = cond[co] != 0f ? a[ao] : b[bo];
            for (int d = rank - 1; d >= 0; d--) {
                co += cStrides[d];
                ao += aStrides[d];
                bo += bStrides[d];
                if (++idx[d] < shape[d]) break;
                co -= cStrides[d] * shape[d];
                ao -= aStrides[d] * shape[d];
                bo -= bStrides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    @Override
    public void copy(float[] src, int offset, int[] shape, int[] strides, float[] out) {
        int rank = shape.length;
        if (rank == 0) {
            out[0] = src[offset];
            return;
        }
        int inner = shape[rank - 1], is = strides[rank - 1];
        int rows = inner == 0 ? 0 : out.length / inner;
        int[] idx = new int[rank];
        int so = offset;
        for (int row = 0, o = 0; row < rows; row++, o += inner) {
            if (is == 1) System.arraycopy(src, so, out, o, inner);
            else for (int i = 0; i < inner; i++) out[o + i] = src[so + i * is];
            for (int d = rank - 2; d >= 0; d--) {
                so += strides[d];
                if (++idx[d] < shape[d]) break;
                so -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    @Override
    public void matmul(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                       float[] c, int cOffset, int M, int N, int K) {
        product(a, aOffset, transA, b, bOffset, transB, c, cOffset, M, N, K, false);
    }

    @Override
    public void matmulAdd(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                          float[] c, int cOffset, int M, int N, int K) {
        product(a, aOffset, transA, b, bOffset, transB, c, cOffset, M, N, K, true);
    }

    /** {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} when {@code accumulate}: the same sums in the same order. */
    private static void product(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                                float[] c, int cOffset, int M, int N, int K, boolean accumulate) {
        for (int m = 0; m < M; m++) {
            int cRow = cOffset + m * N;
            if (!accumulate) java.util.Arrays.fill(c, cRow, cRow + N, 0f);
            if (!transB) {
                // i-k-j order: the inner loop streams a row of B and a row of C (auto-vectorised by C2)
                for (int k = 0; k < K; k++) {
                    float av = transA ? a[aOffset + k * M + m] : a[aOffset + m * K + k];
                    int bRow = bOffset + k * N;
                    for (int n = 0; n < N; n++) c[cRow + n] += av * b[bRow + n];
                }
            } else {
                for (int n = 0; n < N; n++) {
                    int bRow = bOffset + n * K;
                    float acc = 0f;
                    if (!transA) {
                        int aRow = aOffset + m * K;
                        for (int k = 0; k < K; k++) acc += a[aRow + k] * b[bRow + k];
                    } else {
                        for (int k = 0; k < K; k++) acc += a[aOffset + k * M + m] * b[bRow + k];
                    }
                    c[cRow + n] = accumulate ? c[cRow + n] + acc : acc;
                }
            }
        }
    }

    @Override
    public void linear(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB, float[] bias,
                       float[] c, int cOffset, int M, int N, int K) {
        matmul(a, aOffset, transA, b, bOffset, transB, c, cOffset, M, N, K);
        if (bias == null) return;
        for (int m = 0, row = cOffset; m < M; m++, row += N) {
            for (int n = 0; n < N; n++) c[row + n] += bias[n];
        }
    }

    @Override
    public void adam(AdamStep s, float[] p, float[] g, float[] m, float[] v, float[] vMax, int n) {
        adamRange(s, p, g, m, v, vMax, 0, n);
    }

    @Override
    public void reluGrad(float[] g, float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = g[i] * (x[i] > 0f ? 1f : 0f);
    }

    /** The Adam update of elements {@code [from, to)}, in the order {@link Kernels#adam} documents. */
    static void adamRange(AdamStep s, float[] p, float[] g, float[] m, float[] v, float[] vMax, int from, int to) {
        float b1 = s.beta1(), oneMinusB1 = s.oneMinusBeta1(), b2 = s.beta2(), oneMinusB2 = s.oneMinusBeta2();
        float l2 = s.l2(), shrink = s.shrink(), eps = s.eps(), negStepSize = s.negStepSize(), bc2Sqrt = s.bc2Sqrt();
        boolean decoupled = s.decoupled();
        for (int i = from; i < to; i++) {
            float gi = g[i];
            if (decoupled) p[i] = p[i] * shrink;                    // θ ← θ(1 − lr·λ)
            else if (l2 != 0) gi = gi + l2 * p[i];                  // g ← g + λθ
            m[i] = flushSubnormal(m[i] * b1 + oneMinusB1 * gi);
            v[i] = flushSubnormal(v[i] * b2 + oneMinusB2 * gi * gi);
            float second = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], v[i]);
                second = vMax[i];
            }
            float denom = (float) Math.sqrt(second) / bc2Sqrt + eps;
            p[i] = p[i] + negStepSize * m[i] / denom;
        }
    }

    /**
     * Zero for a subnormal {@code x}, else {@code x}: how optimizers store state that shrinks geometrically while its
     * gradient is zero (moments, momentum buffers), since x86 takes a slow path on subnormal operands ({@link Kernels#adam}).
     */
    public static float flushSubnormal(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    @Override
    public void sum(float[] x, int outer, int R, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            int base = o * R * inner, ob = o * inner;
            if (inner == 1) {
                double acc = 0; // double accumulation keeps long sums (means over a dataset) accurate
                for (int r = 0; r < R; r++) acc += x[base + r];
                out[ob] = (float) acc;
            } else {
                java.util.Arrays.fill(out, ob, ob + inner, 0f);
                for (int r = 0; r < R; r++) {
                    int xb = base + r * inner;
                    for (int i = 0; i < inner; i++) out[ob + i] += x[xb + i];
                }
            }
        }
    }

    @Override
    public void max(float[] x, int outer, int R, int inner, float[] out, float[] argOut) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * R * inner + i;
                float best = x[base];
                int arg = 0;
                for (int r = 1; r < R && !Float.isNaN(best); r++) {
                    float v = x[base + r * inner];
                    if (v > best || Float.isNaN(v)) {
                        best = v;
                        arg = r;
                    }
                }
                out[o * inner + i] = best;
                if (argOut != null) argOut[o * inner + i] = arg;
            }
        }
    }

    @Override
    public void softmax(float[] x, int outer, int R, int inner, float[] out, boolean log) {
        double[] e = new double[R]; // each exponential computed once: Math.exp dominates this kernel
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * R * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int r = 0; r < R; r++) max = Math.max(max, x[base + r * inner]);
                if (max == Float.NEGATIVE_INFINITY) max = 0f; // all -inf: avoid inf - inf
                double sum = 0;
                for (int r = 0; r < R; r++) sum += e[r] = Math.exp(x[base + r * inner] - max);
                if (log) {
                    // (x − max) − log Σ, rounded once: forming max + log Σ first would round it to the ulp of max
                    // (≈ 1e-3 at 1e4) and shift every log-probability of a large-logit row by that much
                    double logSum = Math.log(sum);
                    for (int r = 0; r < R; r++) out[base + r * inner] = (float) (((double) x[base + r * inner] - max) - logSum);
                } else {
                    double inv = 1.0 / sum;
                    for (int r = 0; r < R; r++) out[base + r * inner] = (float) (e[r] * inv);
                }
            }
        }
    }

    @Override
    public void indexSelect(float[] x, int outer, int R, int inner, float[] index, int J, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < J; j++) {
                System.arraycopy(x, (o * R + (int) index[j]) * inner, out, (o * J + j) * inner, inner);
            }
        }
    }

    @Override
    public void indexAdd(float[] src, int outer, int J, int inner, float[] index, float[] out, int R) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < J; j++) {
                int s = (o * J + j) * inner, d = (o * R + (int) index[j]) * inner;
                for (int i = 0; i < inner; i++) out[d + i] += src[s + i];
            }
        }
    }

    @Override
    public void gather(float[] x, int outer, int R, int inner, float[] index, int J, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < J; j++) {
                int p = (o * J + j) * inner;
                for (int i = 0; i < inner; i++) out[p + i] = x[(o * R + (int) index[p + i]) * inner + i];
            }
        }
    }

    @Override
    public void scatterAdd(float[] src, int outer, int J, int inner, float[] index, float[] out, int R) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < J; j++) {
                int p = (o * J + j) * inner;
                for (int i = 0; i < inner; i++) out[(o * R + (int) index[p + i]) * inner + i] += src[p + i];
            }
        }
    }

    @Override
    public void im2col(float[] x, int N, Window2d w, float padValue, float[] out) {
        for (int plane = 0; plane < N * w.C(); plane++) im2colPlane(x, w, padValue, out, plane);
    }

    @Override
    public void dropout(float[] x, long state, double p, float scale, float[] out, int n) {
        SplitMix64.dropout(state, SplitMix64.threshold(p), scale, x, out, 0, n);
    }

    @Override
    public void col2im(float[] cols, int N, Window2d w, float[] out) {
        for (int plane = 0; plane < N * w.C(); plane++) col2imPlane(cols, w, out, plane);
    }

    /**
     * im2col of one image plane {@code (n, c)}, numbered {@code n·C + c}: it reads {@code x[plane]} ({@code H·W}) and
     * writes the {@code kH·kW} column rows that start at {@code plane·kH·kW·outH·outW}, which no other plane touches.
     */
    static void im2colPlane(float[] x, Window2d w, float padValue, float[] out, int plane) {
        int H = w.H(), W = w.W(), outH = w.outH(), outW = w.outW();
        int src = plane * H * W, dst = plane * w.kH() * w.kW() * outH * outW;
        for (int i = 0; i < w.kH(); i++) {
            for (int j = 0; j < w.kW(); j++) {
                for (int oh = 0; oh < outH; oh++) {
                    int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                    int base = ih * W + j * w.dilationW() - w.padLeft();
                    boolean rowInside = ih >= 0 && ih < H;
                    for (int ow = 0; ow < outW; ow++, dst++) {
                        int iw = ow * w.strideW() - w.padLeft() + j * w.dilationW();
                        out[dst] = rowInside && iw >= 0 && iw < W ? x[src + base + ow * w.strideW()] : padValue;
                    }
                }
            }
        }
    }

    /** Accumulates col2im into one image plane {@code (n, c)}: the adjoint of {@link #im2colPlane}, touching only {@code out[plane]}. */
    static void col2imPlane(float[] cols, Window2d w, float[] out, int plane) {
        int H = w.H(), W = w.W(), outH = w.outH(), outW = w.outW();
        int dstPlane = plane * H * W, src = plane * w.kH() * w.kW() * outH * outW;
        for (int i = 0; i < w.kH(); i++) {
            for (int j = 0; j < w.kW(); j++) {
                for (int oh = 0; oh < outH; oh++) {
                    int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                    if (ih < 0 || ih >= H) {
                        src += outW;
                        continue;
                    }
                    int row = dstPlane + ih * W;
                    for (int ow = 0; ow < outW; ow++, src++) {
                        int iw = ow * w.strideW() - w.padLeft() + j * w.dilationW();
                        if (iw >= 0 && iw < W) out[row + iw] += cols[src];
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ fused convolution (one group)

    /** Direct convolution, the definition itself: {@code y[n, o, oh, ow] = Σ_{c,i,j} W[o, c, i, j] · x[n, c, ih, iw] + b[o]}, summed in {@code (c, i, j)} order. */
    @Override
    public void conv2d(float[] x, int N, Window2d w, float[] weight, float[] bias, boolean relu, Window2d pool, int O,
                       float[] y, int[] argmax) {
        if (pool != null) {
            float[] full = new float[N * O * w.positions()];
            conv2d(x, N, w, weight, bias, relu, null, O, full, null);
            maxPool2d(full, N * O, pool, y, argmax);
            return;
        }
        int C = w.C(), H = w.H(), W = w.W(), kH = w.kH(), kW = w.kW(), outH = w.outH(), outW = w.outW();
        for (int n = 0, out = 0; n < N; n++) {
            for (int o = 0; o < O; o++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++, out++) {
                        float acc = 0f;
                        for (int c = 0; c < C; c++) {
                            for (int i = 0; i < kH; i++) {
                                int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                                if (ih < 0 || ih >= H) continue;
                                for (int j = 0; j < kW; j++) {
                                    int iw = ow * w.strideW() - w.padLeft() + j * w.dilationW();
                                    if (iw >= 0 && iw < W) acc += weight[((o * C + c) * kH + i) * kW + j] * x[((n * C + c) * H + ih) * W + iw];
                                }
                            }
                        }
                        float v = bias == null ? acc : acc + bias[o];
                        y[out] = relu && v <= 0 ? 0f : v;
                    }
                }
            }
        }
    }

    /** Direct loops over the definition: every output position scatters {@code W·g} into dX and gathers {@code g·x} into dW. */
    @Override
    public void conv2dBackward(float[] x, float[] g, float[] reluOut, Window2d pool, int[] argmax, int N, Window2d w,
                               float[] weight, int O, float[] dX, float[] dWeight, float[] dBias) {
        if (pool != null) {
            int HW = pool.H() * pool.W(), PL = pool.positions();
            float[] full = new float[N * O * HW];
            maxPool2dBackward(g, argmax, N * O, pool, full);
            if (reluOut != null) {
                for (int p = 0; p < N * O; p++) reluGradAtArgmax(reluOut, argmax, p * PL, PL, full, p * HW);
            }
            conv2dBackward(x, full, null, null, null, N, w, weight, O, dX, dWeight, dBias);
            return;
        }
        int C = w.C(), H = w.H(), W = w.W(), kH = w.kH(), kW = w.kW(), outH = w.outH(), outW = w.outW(), L = outH * outW;
        if (dX != null) java.util.Arrays.fill(dX, 0f);
        if (dWeight != null) java.util.Arrays.fill(dWeight, 0f);
        if (dBias != null) java.util.Arrays.fill(dBias, 0f);
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < O; o++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int at = (n * O + o) * L + oh * outW + ow;
                        float gv = reluOut == null ? g[at] : g[at] * (reluOut[at] > 0f ? 1f : 0f);
                        if (dBias != null) dBias[o] += gv;
                        for (int c = 0; c < C; c++) {
                            for (int i = 0; i < kH; i++) {
                                int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                                if (ih < 0 || ih >= H) continue;
                                for (int j = 0; j < kW; j++) {
                                    int iw = ow * w.strideW() - w.padLeft() + j * w.dilationW();
                                    if (iw < 0 || iw >= W) continue;
                                    int wi = ((o * C + c) * kH + i) * kW + j, xi = ((n * C + c) * H + ih) * W + iw;
                                    if (dX != null) dX[xi] += weight[wi] * gv;
                                    if (dWeight != null) dWeight[wi] += gv * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * im2col of one whole image {@code x[xOffset ..]} ({@code [C, H, W]}) into {@code out[0 .. C·kH·kW·outH·outW)} with zero
     * padding; each output row is one block copy when the stride is 1.
     */
    static void im2colImage(float[] x, int xOffset, Window2d w, float[] out) {
        int H = w.H(), W = w.W(), outH = w.outH(), outW = w.outW(), sW = w.strideW();
        int dst = 0;
        for (int c = 0; c < w.C(); c++) {
            int plane = xOffset + c * H * W;
            for (int i = 0; i < w.kH(); i++) {
                for (int j = 0; j < w.kW(); j++) {
                    int dj = j * w.dilationW() - w.padLeft();
                    int lo = owFrom(dj, sW), hi = Math.max(lo, owTo(dj, sW, W, outW));
                    for (int oh = 0; oh < outH; oh++, dst += outW) {
                        int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                        if (ih < 0 || ih >= H) {
                            java.util.Arrays.fill(out, dst, dst + outW, 0f);
                            continue;
                        }
                        int row = plane + ih * W + dj;
                        if (lo > 0) java.util.Arrays.fill(out, dst, dst + lo, 0f);
                        if (sW == 1) System.arraycopy(x, row + lo, out, dst + lo, hi - lo);
                        else for (int ow = lo; ow < hi; ow++) out[dst + ow] = x[row + ow * sW];
                        if (hi < outW) java.util.Arrays.fill(out, dst + hi, dst + outW, 0f);
                    }
                }
            }
        }
    }

    /** Accumulates col2im of one whole image: the adjoint of {@link #im2colImage}, adding {@code cols} into {@code out[outOffset ..]} ({@code [C, H, W]}). */
    static void col2imImage(float[] cols, Window2d w, float[] out, int outOffset) {
        int H = w.H(), W = w.W(), outH = w.outH(), outW = w.outW(), sW = w.strideW();
        int src = 0;
        for (int c = 0; c < w.C(); c++) {
            int plane = outOffset + c * H * W;
            for (int i = 0; i < w.kH(); i++) {
                for (int j = 0; j < w.kW(); j++) {
                    int dj = j * w.dilationW() - w.padLeft();
                    int lo = owFrom(dj, sW), hi = Math.max(lo, owTo(dj, sW, W, outW));
                    for (int oh = 0; oh < outH; oh++, src += outW) {
                        int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                        if (ih < 0 || ih >= H) continue;
                        int row = plane + ih * W + dj;
                        if (sW == 1) for (int ow = lo; ow < hi; ow++) out[row + ow] += cols[src + ow]; // a plain loop C2 vectorises
                        else for (int ow = lo; ow < hi; ow++) out[row + ow * sW] += cols[src + ow];
                    }
                }
            }
        }
    }

    /** The first output column whose input column {@code ow·sW + dj} is not left of the image. */
    static int owFrom(int dj, int sW) {
        return dj >= 0 ? 0 : (-dj + sW - 1) / sW;
    }

    /** One past the last output column whose input column {@code ow·sW + dj} is inside an image {@code W} wide. */
    static int owTo(int dj, int sW, int W, int outW) {
        return W - 1 - dj < 0 ? 0 : Math.min(outW, (W - 1 - dj) / sW + 1);
    }

    // ------------------------------------------------------------------ max pooling

    @Override
    public void maxPool2d(float[] x, int P, Window2d w, float[] out, int[] argmax) {
        int HW = w.H() * w.W(), L = w.positions();
        for (int p = 0; p < P; p++) maxPoolPlane(x, p * HW, w, out, argmax, p * L);
    }

    @Override
    public void maxPool2dBackward(float[] g, int[] argmax, int P, Window2d w, float[] dX) {
        int HW = w.H() * w.W(), L = w.positions();
        for (int p = 0; p < P; p++) maxPoolBackwardPlane(g, argmax, p * L, w, dX, p * HW);
    }

    /** One plane of {@link #maxPool2dBackward}: the outputs from {@code at} send their gradients into the plane {@code dX[plane ..]}, which is overwritten. */
    static void maxPoolBackwardPlane(float[] g, int[] argmax, int at, Window2d w, float[] dX, int plane) {
        java.util.Arrays.fill(dX, plane, plane + w.H() * w.W(), 0f);
        for (int l = 0, o = at, L = w.positions(); l < L; l++, o++) dX[plane + argmax[o]] += g[o];
    }

    /**
     * The ReLU's gradient on a plane {@code g[plane ..]} that {@link #maxPoolBackwardPlane} built from the {@code L}
     * pooled outputs {@code pooled[at ..]} of a ReLU: {@code g · 0} where a window's maximum is not positive. The same
     * bits as {@link #reluGrad} with the ReLU's full output, since a window's maximum is that output at its argmax, and
     * positions that are no window's argmax hold +0 either way. (Multiplying by 0 or 1 twice gives what once does.)
     * A factor rather than a branch, as in {@link #reluGrad}'s vector form: the signs of a ReLU's inputs are random.
     */
    static void reluGradAtArgmax(float[] pooled, int[] argmax, int at, int L, float[] g, int plane) {
        for (int l = 0; l < L; l++) g[plane + argmax[at + l]] *= pooled[at + l] > 0f ? 1f : 0f;
    }

    /** One plane of {@link #maxPool2d}: reads the plane {@code x[src ..]} and writes only {@code out} and {@code argmax} from {@code dst}. */
    static void maxPoolPlane(float[] x, int src, Window2d w, float[] out, int[] argmax, int dst) {
        int H = w.H(), W = w.W(), outH = w.outH(), outW = w.outW();
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++, dst++) {
                float best = Float.NEGATIVE_INFINITY;
                int at = -1;
                for (int i = 0; i < w.kH(); i++) {
                    int ih = oh * w.strideH() - w.padTop() + i * w.dilationH();
                    if (ih < 0 || ih >= H) continue;
                    for (int j = 0; j < w.kW(); j++) {
                        int iw = ow * w.strideW() - w.padLeft() + j * w.dilationW();
                        if (iw < 0 || iw >= W) continue;
                        float v = x[src + ih * W + iw];
                        if (at < 0 || v > best || (v != v && best == best)) {   // strictly greater keeps the first; NaN wins
                            best = v;
                            at = ih * W + iw;
                        }
                    }
                }
                out[dst] = best;
                argmax[dst] = at;
            }
        }
    }
}
