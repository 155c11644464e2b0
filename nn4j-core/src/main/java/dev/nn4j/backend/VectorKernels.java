package dev.nn4j.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.nn4j.backend.PackedGemm.MIN_ROWS;
import static dev.nn4j.backend.PackedGemm.NR;

/**
 * Vector API kernels: matmul (the packed GEMM itself is {@link PackedGemm}), the hot element-wise and sum kernels,
 * convolution through {@link VectorConvolution}, with {@link ScalarKernels} for everything else. Only
 * {@link Backend} loads this class, by reflection and after checking that {@code jdk.incubator.vector} is readable;
 * it is package-private so that no class outside the package can name it (and so load the vector package in a JVM
 * without the module).
 *
 * <p>Legend: {@code M, N, K} for GEMM ({@code C[M,N] = op(A)[M,K] · op(B)[K,N]}); {@code L} lanes per vector;
 * {@code MR × NR} the register tile of C ({@code NR = 2L}); {@code MC, KC, NC} the cache blocks of A and B.
 * Matmul takes one of four paths: the scalar loop below {@link #SMALL_GEMM} multiply-adds (not for {@code A·Bᵀ}
 * with {@code K ≥ L}), unpacked vector loops when op(A) has fewer than {@code MIN_ROWS} rows, register-tiled row-by-row
 * dot products for {@code A·Bᵀ} with few rows, fewer than {@code DOT_ROWS} rows of a long K, or a narrow C (a
 * linear layer's forward at batch 1, the seed MLP's first layer at batch 64 with 512-bit vectors, a layer into ten
 * classes; nothing is packed), and the packed GEMM otherwise.
 * GEMM, the dot tiles, Adam and im2col split work over {@link Threads} so that every output element is computed
 * the same way for any thread count. Results match the scalar kernels bit for bit except: matmul and {@code sum} with
 * {@code inner == 1} (different summation order; see {@code VectorKernelsTest} for the tolerances) and
 * EXP, TANH, SIGMOID (the Vector API's own transcendental functions, a few ulp from the scalar ones).
 */
final class VectorKernels extends ScalarKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Below this many multiply-adds, packing costs more than it saves and the scalar loop is used. */
    static final long SMALL_GEMM = 4096;
    /** Multiply-adds worth a thread of their own (about 0.1 ms at 30 GFLOP/s). */
    static final long PARALLEL_WORK = 1L << 20;
    /** Elements of an element-wise update (Adam) worth a thread of their own. */
    static final int ELEMENTWISE_PARALLEL = 1 << 15;
    /** Elements of a {@code sum} block added in float vector lanes before the block joins the double total. */
    private static final int SUM_BLOCK = 1024;

    /** Throws when the preferred species is too narrow for the Vector API to beat C2's auto-vectorised loops. */
    VectorKernels() {
        if (S.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred vector size is only " + S.vectorBitSize() + " bits");
        }
    }

    // ------------------------------------------------------------------ element-wise

    /**
     * Element-wise kernels over more than {@link #ELEMENTWISE_PARALLEL} elements run in slices over threads (each
     * element is computed by one thread the same way, so the bits do not depend on the split). On one thread, the cnn's
     * 64 × 64 × 24 × 24 ReLU module took 2.6 ms, its output's allocation included.
     */
    @Override
    public void unary(UnaryFn fn, float[] x, float[] out, int n) {
        if (fn != UnaryFn.NEG && fn != UnaryFn.ABS && fn != UnaryFn.RELU) {
            // EXP, TANH and SIGMOID stay scalar (Math.exp and Math.tanh give the same bits interpreted and compiled):
            // the Vector API's EXP/TANH run a Java fallback until C2 swaps in SVML, which rounds differently, so
            // results depended on JIT timing and seeded runs were not repeatable.
            super.unary(fn, x, out, n);
            return;
        }
        inSlices(n, (from, to) -> unaryRange(fn, x, out, from, to));
    }

    private static void unaryRange(UnaryFn fn, float[] x, float[] out, int from, int to) {
        int i = from, bound = from + S.loopBound(to - from);
        switch (fn) {
            case NEG -> { for (; i < bound; i += L) FloatVector.fromArray(S, x, i).neg().intoArray(out, i); }
            case ABS -> { for (; i < bound; i += L) FloatVector.fromArray(S, x, i).abs().intoArray(out, i); }
            case RELU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.blend(ZERO, v.compare(VectorOperators.LE, 0f)).intoArray(out, i); // NaN compares false: stays NaN
                }
            }
            default -> throw new IllegalArgumentException("unary: " + fn + " has no vector form");
        }
        for (; i < to; i++) out[i] = fn.apply(x[i]);
    }

    /** A slice {@code [from, to)} of an element-wise kernel. */
    @FunctionalInterface
    interface Slice {
        void run(int from, int to);
    }

    /**
     * Runs {@code slice} over {@code [0, n)}: on the calling thread below {@link #ELEMENTWISE_PARALLEL} elements or
     * with one thread, else in lane-aligned slices of at least that size, up to {@link Threads#TASKS_PER_THREAD} per
     * thread, that the threads claim.
     */
    static void inSlices(int n, Slice slice) {
        int threads = Threads.get();
        int parts = threads <= 1 ? 1 : Math.min(threads * Threads.TASKS_PER_THREAD, Math.max(1, n / ELEMENTWISE_PARALLEL));
        if (parts <= 1) {
            slice.run(0, n);
            return;
        }
        int chunk = PackedGemm.roundUp((n + parts - 1) / parts, L);
        Threads.forEach(parts, part -> slice.run(Math.min(n, part * chunk), Math.min(n, (part + 1) * chunk)));
    }

    @Override
    public void binary(BinaryFn fn, float[] a, int aOffset, int[] aStrides, float[] b, int bOffset, int[] bStrides,
                       float[] out, int[] shape) {
        int rank = shape.length;
        if (out.length == 0) return; // nothing to read: a broadcast operand may itself be empty
        if (!vectorizable(fn) || rank == 0) {
            super.binary(fn, a, aOffset, aStrides, b, bOffset, bStrides, out, shape);
            return;
        }
        // whole tensors: same-shape contiguous, or one side a single broadcast value
        boolean aDense = contiguous(aStrides, shape), bDense = contiguous(bStrides, shape);
        boolean aScalar = allZero(aStrides), bScalar = allZero(bStrides);
        int n = out.length;
        if (aDense && (bDense || bScalar) || aScalar && bDense) {
            int as = aDense ? 1 : 0, bs = bDense ? 1 : 0;
            inSlices(n, (from, to) -> binaryRow(fn, a, aOffset + from * as, as, b, bOffset + from * bs, bs, out, from, to - from));
            return;
        }
        int inner = shape[rank - 1];
        int as = aStrides[rank - 1], bs = bStrides[rank - 1];
        boolean rowsVectorizable = (as == 1 || as == 0) && (bs == 1 || bs == 0) && (as | bs) == 1 && inner >= L;
        if (!rowsVectorizable) {
            super.binary(fn, a, aOffset, aStrides, b, bOffset, bStrides, out, shape);
            return;
        }
        // row by row (e.g. a bias row added to every row of a batch), with the scalar kernels' odometer
        int rows = n / inner;
        int[] idx = new int[rank];
        int ao = aOffset, bo = bOffset;
        for (int row = 0, o = 0; row < rows; row++, o += inner) {
            binaryRow(fn, a, ao, as, b, bo, bs, out, o, inner);
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

    private static boolean vectorizable(BinaryFn fn) {
        return switch (fn) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** {@code out[o + i] = fn(a[ao + i·as], b[bo + i·bs])} for {@code i < n}, where each stride is 0 or 1. */
    /**
     * One row of a binary op; {@code as}, {@code bs} are 1 (a contiguous run) or 0 (one broadcast value). Each operator
     * has its own loop with the operator written out: through one loop calling a helper that switched per vector
     * (258 bytes of bytecode) C2 sometimes compiled this method without inlining the helper, or deoptimised it when a
     * new operator arrived; the vectors were then boxed and the loads not intrinsified, which took up to 12% of the
     * cnn preset's training samples in some runs and none in others (JFR, CnnTimer --batches 150).
     */
    private static void binaryRow(BinaryFn fn, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int o, int n) {
        int i = 0, bound = S.loopBound(n);
        switch (fn) {
            case ADD -> { for (; i < bound; i += L) load(a, ao, as, i).add(load(b, bo, bs, i)).intoArray(out, o + i); }
            case SUB -> { for (; i < bound; i += L) load(a, ao, as, i).sub(load(b, bo, bs, i)).intoArray(out, o + i); }
            case MUL -> { for (; i < bound; i += L) load(a, ao, as, i).mul(load(b, bo, bs, i)).intoArray(out, o + i); }
            case DIV -> { for (; i < bound; i += L) load(a, ao, as, i).div(load(b, bo, bs, i)).intoArray(out, o + i); }
            case MAXIMUM -> { for (; i < bound; i += L) load(a, ao, as, i).max(load(b, bo, bs, i)).intoArray(out, o + i); } // as Math.max: NaN wins, -0 < +0
            case MINIMUM -> { for (; i < bound; i += L) load(a, ao, as, i).min(load(b, bo, bs, i)).intoArray(out, o + i); }
            // comparisons give 1 or 0 as the scalar ones, NaN included (every ordered test false, NE true)
            case EQ -> { for (; i < bound; i += L) ZERO.blend(ONE, load(a, ao, as, i).compare(VectorOperators.EQ, load(b, bo, bs, i))).intoArray(out, o + i); }
            case NE -> { for (; i < bound; i += L) ZERO.blend(ONE, load(a, ao, as, i).compare(VectorOperators.NE, load(b, bo, bs, i))).intoArray(out, o + i); }
            case LT -> { for (; i < bound; i += L) ZERO.blend(ONE, load(a, ao, as, i).compare(VectorOperators.LT, load(b, bo, bs, i))).intoArray(out, o + i); }
            case LE -> { for (; i < bound; i += L) ZERO.blend(ONE, load(a, ao, as, i).compare(VectorOperators.LE, load(b, bo, bs, i))).intoArray(out, o + i); }
            case GT -> { for (; i < bound; i += L) ZERO.blend(ONE, load(a, ao, as, i).compare(VectorOperators.GT, load(b, bo, bs, i))).intoArray(out, o + i); }
            case GE -> { for (; i < bound; i += L) ZERO.blend(ONE, load(a, ao, as, i).compare(VectorOperators.GE, load(b, bo, bs, i))).intoArray(out, o + i); }
            default -> throw new IllegalArgumentException("binary: " + fn + " has no vector form");
        }
        for (; i < n; i++) out[o + i] = fn.apply(a[ao + i * as], b[bo + i * bs]);
    }

    /** Lanes {@code i…} of a contiguous run ({@code stride} 1), or its one value broadcast ({@code stride} 0). */
    private static FloatVector load(float[] x, int offset, int stride, int i) {
        return stride == 1 ? FloatVector.fromArray(S, x, offset + i) : FloatVector.broadcast(S, x[offset]);
    }

    private static final FloatVector ZERO = FloatVector.zero(S), ONE = FloatVector.broadcast(S, 1f);

    private static boolean contiguous(int[] strides, int[] shape) {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    private static boolean allZero(int[] strides) {
        for (int s : strides) if (s != 0) return false;
        return true;
    }

    // ------------------------------------------------------------------ optimizer updates

    /**
     * Vector lanes perform exactly the scalar kernel's float operations in its order (IEEE sqrt and division are
     * correctly rounded in both), so the update is bit-identical to {@link ScalarKernels#adam}. Large parameters are
     * updated in {@link #inSlices}: with one slice per thread, two threads were slower than one here (the seed MLP's
     * optimizer step: 191-243 against 122-136 µs), since the pool's thread woke 50-100 µs late and the caller then
     * waited for its half; with the smaller slices the caller takes those a late thread has not.
     */
    @Override
    public void adam(AdamStep s, float[] p, float[] g, float[] m, float[] v, float[] vMax, int n) {
        inSlices(n, (from, to) -> adamRange(s, p, g, m, v, vMax, from, to));
    }

    /**
     * The factor {@code x > 0 ? 1 : 0} comes from a lane blend rather than a branch: with signs at random (a ReLU's
     * inputs) the scalar loop mispredicts about every other element. The seed MLP's 64 × 256 hidden layer took 24 µs
     * in the scalar loop and takes 5.4 µs here (one core of an AMD EPYC, AVX2).
     */
    @Override
    public void reluGrad(float[] g, float[] x, float[] out, int n) {
        inSlices(n, (from, to) -> reluGrad(g, x, from, out, from, to - from));
    }

    /** {@code out[o + i] = g[from + i] · (x[from + i] > 0 ? 1 : 0)} for {@code i < n}. */
    static void reluGrad(float[] g, float[] x, int from, float[] out, int o, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector keep = ZERO.blend(ONE, FloatVector.fromArray(S, x, from + i).compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(S, g, from + i).mul(keep).intoArray(out, o + i);
        }
        for (; i < n; i++) out[o + i] = g[from + i] * (x[from + i] > 0f ? 1f : 0f);
    }

    /** {@link ScalarKernels#flushSubnormal} lane by lane. */
    private static FloatVector flushSubnormal(FloatVector x) {
        return x.blend(ZERO, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
    }

    static void adamRange(AdamStep s, float[] p, float[] g, float[] m, float[] v, float[] vMax, int from, int to) {
        FloatVector b1 = FloatVector.broadcast(S, s.beta1()), oneMinusB1 = FloatVector.broadcast(S, s.oneMinusBeta1());
        FloatVector b2 = FloatVector.broadcast(S, s.beta2()), oneMinusB2 = FloatVector.broadcast(S, s.oneMinusBeta2());
        FloatVector l2 = FloatVector.broadcast(S, s.l2()), shrink = FloatVector.broadcast(S, s.shrink());
        FloatVector eps = FloatVector.broadcast(S, s.eps()), negStepSize = FloatVector.broadcast(S, s.negStepSize());
        FloatVector bc2Sqrt = FloatVector.broadcast(S, s.bc2Sqrt());
        boolean decoupled = s.decoupled(), coupled = !decoupled && s.l2() != 0;
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i), pi = FloatVector.fromArray(S, p, i);
            if (decoupled) pi = pi.mul(shrink);
            else if (coupled) gi = gi.add(l2.mul(pi));
            FloatVector mi = flushSubnormal(FloatVector.fromArray(S, m, i).mul(b1).add(oneMinusB1.mul(gi)));
            FloatVector vi = flushSubnormal(FloatVector.fromArray(S, v, i).mul(b2).add(oneMinusB2.mul(gi).mul(gi)));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector second = vi;
            if (vMax != null) {
                second = FloatVector.fromArray(S, vMax, i).max(vi);
                second.intoArray(vMax, i);
            }
            FloatVector denom = second.sqrt().div(bc2Sqrt).add(eps);
            pi.add(negStepSize.mul(mi).div(denom)).intoArray(p, i);
        }
        ScalarKernels.adamRange(s, p, g, m, v, vMax, i, to);
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void sum(float[] x, int outer, int R, int inner, float[] out) {
        if (inner == 1) {
            for (int o = 0; o < outer; o++) out[o] = sumContiguous(x, o * R, R);
            return;
        }
        // columns in vector-wide strips, each summed over r in a register: the scalar order, so bit-identical
        int bound = S.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            int base = o * R * inner, ob = o * inner;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int r = 0, p = base + i; r < R; r++, p += inner) acc = acc.add(FloatVector.fromArray(S, x, p));
                acc.intoArray(out, ob + i);
            }
            for (; i < inner; i++) {
                float acc = 0f;
                for (int r = 0, p = base + i; r < R; r++, p += inner) acc += x[p];
                out[ob + i] = acc;
            }
        }
    }

    /**
     * Σ x[from .. from+n): blocks of {@link #SUM_BLOCK} are summed in four float vectors (so each lane adds
     * at most {@code SUM_BLOCK / 4L} terms), and the block sums are accumulated in double as the scalar kernel does.
     */
    static float sumContiguous(float[] x, int from, int n) {
        double total = 0;
        for (int start = 0; start < n; start += SUM_BLOCK) {
            int len = Math.min(SUM_BLOCK, n - start), p = from + start, end = p + len;
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int stop = p + (len / (4 * L)) * 4 * L; p < stop; p += 4 * L) {
                s0 = s0.add(FloatVector.fromArray(S, x, p));
                s1 = s1.add(FloatVector.fromArray(S, x, p + L));
                s2 = s2.add(FloatVector.fromArray(S, x, p + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, x, p + 3 * L));
            }
            double block = sumLanes(s0.add(s1).add(s2.add(s3)));
            for (; p < end; p++) block += x[p];
            total += block;
        }
        return (float) total;
    }

    /** Butterfly partners for {@link #sumLanes}: lane i takes lane i ^ s, for s = L/2, L/4, …, 1. */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] f = new VectorShuffle[steps];
        for (int i = 0, s = L / 2; i < steps; i++, s /= 2) {
            int step = s;
            f[i] = VectorShuffle.fromOp(S, lane -> lane ^ step);
        }
        return f;
    }

    /**
     * The sum of a vector's lanes in one fixed order (a butterfly of lane-wise adds). Not {@code reduceLanes(ADD)}:
     * its order is unspecified and differs between the interpreter and C2, so a result would depend on when the
     * JIT compiled the caller, and a run would not repeat bit for bit.
     */
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) v = v.add(v.rearrange(fold));
        return v.lane(0);
    }

    // ------------------------------------------------------------------ matmul

    @Override
    public void matmul(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                       float[] c, int cOffset, int M, int N, int K) {
        product(a, aOffset, transA, b, bOffset, transB, null, c, cOffset, M, N, K);
    }

    @Override
    public void linear(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB, float[] bias,
                       float[] c, int cOffset, int M, int N, int K) {
        product(a, aOffset, transA, b, bOffset, transB, bias, c, cOffset, M, N, K);
    }

    /**
     * The path {@link #product} takes, with C accumulated: the scalar loop and the packed GEMM add into C as they
     * go (the GEMM simply skips zeroing C first), so on a zeroed C they give {@code matmul}'s sums exactly; the row
     * paths write whole results, so their product goes through a per-thread scratch buffer and is then added.
     */
    @Override
    public void matmulAdd(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                          float[] c, int cOffset, int M, int N, int K) {
        if (scalarSized(transA, transB, M, N, K)) {
            super.matmulAdd(a, aOffset, transA, b, bOffset, transB, c, cOffset, M, N, K);
        } else if (!packedPath(transA, transB, M, N, K)) {
            float[] scratch = scratch(M * N);
            product(a, aOffset, transA, b, bOffset, transB, null, scratch, 0, M, N, K);
            for (int m = 0; m < M; m++) {
                for (int n = 0, row = cOffset + m * N; n < N; n++) c[row + n] += scratch[m * N + n];
            }
        } else {
            PackedGemm.gemm(a, aOffset, transA, b, bOffset, transB, null, c, cOffset, M, N, K, true);
        }
    }

    /** Each thread's scratch product for {@link #matmulAdd}'s row paths. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] scratch(int size) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }

    /**
     * {@code C = op(A)·op(B) (+ bias on every row)}. Paths: the scalar loop for tiny products; row-times-B
     * loops when op(A) has fewer rows than a tile, where packing would cost more than it saves; row-dot-row tiles
     * for {@code A·Bᵀ} (B stored {@code [N,K]}, a linear layer's weight) with few rows or a C narrower than a
     * register tile (see {@link #dotTiled}: below 96 rows of a long K with 512-bit vectors, 48 otherwise); the packed
     * GEMM otherwise. The unpacked paths add the bias after the dot product, as the scalar kernels do; the packed GEMM
     * starts C from the bias (BLAS's β = 1), which rounds differently only when K spans several KC blocks.
     */
    private void product(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB, float[] bias,
                         float[] c, int cOffset, int M, int N, int K) {
        if (scalarSized(transA, transB, M, N, K)) {
            if (bias == null) super.matmul(a, aOffset, transA, b, bOffset, transB, c, cOffset, M, N, K);
            else super.linear(a, aOffset, transA, b, bOffset, transB, bias, c, cOffset, M, N, K);
            return;
        }
        if (packedPath(transA, transB, M, N, K)) {
            PackedGemm.gemm(a, aOffset, transA, b, bOffset, transB, bias, c, cOffset, M, N, K, false);
        } else if (dotTiled(transA, transB, M, N, K)) {
            rowsDotRows(a, aOffset, b, bOffset, null, bias, c, cOffset, M, N, K);
        } else {
            fewRowsTimesB(a, aOffset, transA, b, bOffset, c, cOffset, M, N, K);
            if (bias != null) addBias(bias, c, cOffset, M, N);
        }
    }

    /**
     * Whether {@link #product} takes the packed GEMM ({@link PackedGemm#gemm}) for this shape: not scalar-sized, not
     * fewer rows than a tile times a B stored {@code [K,N]}, not the dot tiles. The convolution asks it before packing
     * its weight once for all images.
     */
    static boolean packedPath(boolean transA, boolean transB, int M, int N, int K) {
        return !scalarSized(transA, transB, M, N, K) && !(M < MIN_ROWS && !transB) && !dotTiled(transA, transB, M, N, K);
    }

    /**
     * Whether a product is small enough for the scalar loop: fewer than {@link #SMALL_GEMM} multiply-adds, unless it
     * is {@code A·Bᵀ} with at least one whole vector per row. Those stay on the vector paths at any size, so a batch-1
     * pass through a 10-class layer takes the dot tiles, faster, and sums a row in the same order as a larger batch.
     */
    private static boolean scalarSized(boolean transA, boolean transB, int M, int N, int K) {
        return (long) M * N * K < SMALL_GEMM && (transA || !transB || K < L);
    }

    /**
     * Whether {@code A·Bᵀ} takes the row-dot-row tiles rather than the packed GEMM: when C is narrower than a register
     * tile (or than 16 columns, so that a 10-class layer stays on the dot tiles with 128-bit vectors too), op(A) has
     * fewer rows than a tile, or fewer than {@link #DOT_ROWS} rows of at least {@link #DOT_MIN_K}.
     * Packing B for few rows costs more than the product (B is a weight matrix, packed whole on every call, with a
     * transpose); but each dot tile pays a fixed lane sum, which only a long K amortises.
     */
    private static boolean dotTiled(boolean transA, boolean transB, int M, int N, int K) {
        return !transA && transB && (N < Math.max(NR, 16) || M < MIN_ROWS || (M < DOT_ROWS && K >= DOT_MIN_K));
    }

    /** {@code C[m, :] += bias} for every row. */
    private static void addBias(float[] bias, float[] c, int cOffset, int M, int N) {
        int bound = S.loopBound(N);
        for (int m = 0, row = cOffset; m < M; m++, row += N) {
            int n = 0;
            for (; n < bound; n += L) FloatVector.fromArray(S, c, row + n).add(FloatVector.fromArray(S, bias, n)).intoArray(c, row + n);
            for (; n < N; n++) c[row + n] += bias[n];
        }
    }

    /**
     * Fewer rows than a tile (a batch of one, say), B stored {@code [K,N]}: each B element is used fewer than MR
     * times, so packing B would cost as much as the product. Row m of C is built in strips of four vectors
     * (four independent FMA chains), then one vector at a time, then the last columns in scalar FMA: {@code C[m, j..) = Σ_k A(m,k) · B[k, j..)}.
     */
    private static void fewRowsTimesB(float[] a, int aOffset, boolean transA, float[] b, int bOffset,
                                      float[] c, int cOffset, int M, int N, int K) {
        for (int m = 0; m < M; m++) {
            int aRow = aOffset + (transA ? m : m * K), aStep = transA ? M : 1, cRow = cOffset + m * N;
            int j = 0;
            for (; j + 4 * L <= N; j += 4 * L) {
                FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
                for (int k = 0, p = aRow, q = bOffset + j; k < K; k++, p += aStep, q += N) {
                    FloatVector av = FloatVector.broadcast(S, a[p]);
                    acc0 = av.fma(FloatVector.fromArray(S, b, q), acc0);
                    acc1 = av.fma(FloatVector.fromArray(S, b, q + L), acc1);
                    acc2 = av.fma(FloatVector.fromArray(S, b, q + 2 * L), acc2);
                    acc3 = av.fma(FloatVector.fromArray(S, b, q + 3 * L), acc3);
                }
                acc0.intoArray(c, cRow + j);
                acc1.intoArray(c, cRow + j + L);
                acc2.intoArray(c, cRow + j + 2 * L);
                acc3.intoArray(c, cRow + j + 3 * L);
            }
            for (; j + L <= N; j += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int k = 0, p = aRow, q = bOffset + j; k < K; k++, p += aStep, q += N) {
                    acc = FloatVector.broadcast(S, a[p]).fma(FloatVector.fromArray(S, b, q), acc);
                }
                acc.intoArray(c, cRow + j);
            }
            // the last columns without masks: masked loads here stop C2 from intrinsifying the whole method
            for (; j < N; j++) {
                float acc = 0f;
                for (int k = 0, p = aRow, q = bOffset + j; k < K; k++, p += aStep, q += N) acc = Math.fma(a[p], b[q], acc);
                c[cRow + j] = acc;
            }
        }
    }

    /** Rows and columns of the register tile of {@link #rowsDotRows}: 4 × 4 dot products, sixteen accumulators. */
    static final int DOT_TILE = 4;
    /** Each thread's spilled accumulators of one dot tile ({@link #rowsDotRows}). */
    private static final ThreadLocal<float[]> DOT_TILES = ThreadLocal.withInitial(() -> new float[DOT_TILE * DOT_TILE * L]);
    /**
     * {@code A·Bᵀ} with fewer rows than this takes {@link #rowsDotRows} (see {@link #dotTiled}). Measured with
     * {@code GemmTimer} on the seed MLP's first layer (K = 784, N = 256), dot tiles against the packed GEMM: 8 rows
     * about 110 against 275 µs (one thread); 64 rows 515–583 against 700–862 µs (one thread) and 322–407 against
     * 454 µs (two); from about 96 rows the two are level, and at 256 rows the GEMM is ahead. That was with 512-bit
     * vectors. With 256-bit vectors (AMD EPYC, Zen 3, {@code MR = 4}), one thread: 8 rows 65 against 175–182 µs,
     * 16 rows 127–140 against 211–214, 32 rows level (272–326 against 287–390), 64 rows 548–595 against 439–447, so
     * 48 rows there. With 512-bit vectors, after the packing transposes became vector transposes ({@link Transposes}),
     * {@code GemmTimer}, K = 784, N = 256, dot tiles against the packed GEMM in GFLOP/s (Intel Xeon): one thread,
     * 16 rows 72 against 48, 32 rows 73 against 75–76, 48 rows 73–74 against 93–94, 64 rows 73–75 against 92–94;
     * two threads, 64 rows 133–150 against 146–150 (four alternating pairs), and an epoch of the seed MLP on
     * Fashion-MNIST about 4 % shorter. 48 rows would be faster here, but it changes the summation order of the seed
     * MLP's first layer at batch 64, and with it every recorded result of that network on this kind of machine; it is
     * left for a change that re-records them. Measured again once each thread kept its own range of tasks
     * ({@link Threads#forEach}): 64 rows, two threads, 165–168 GFLOP/s packed against 142–144 in dot tiles, but the
     * training step's forward pass no faster (210–313 against 214–314 µs, {@code StepTimer --phases}, three pairs):
     * there the weight was just written by the optimizer, whose 3.2 MB of state do not fit two 2 MB L2 caches beside
     * the step's other data (not profiled further).
     */
    static final int DOT_ROWS = L >= 16 ? 96 : 48;
    /**
     * Shortest K for the dot tiles at {@code MIN_ROWS} rows or more. 64 rows by 256 columns, one thread, {@code GemmTimer}:
     * K = 256 took 271 µs in dot tiles against 233 µs packed, K = 384 was level (347 against 353), K = 512 420 against
     * 497; the LSTM's K = 28 and 128 (x 512 columns) took 700 and 480 µs in dot tiles against 45 and 167 packed.
     */
    static final int DOT_MIN_K = 384;

    /**
     * Fewer columns than this (a layer into ten classes) are too few blocks to split over threads: {@link #rowsDotRows}
     * splits the rows instead, in groups of {@code ROW_SPLIT} (the tallest tile's height), once the product has
     * {@code NARROW_PARALLEL_WORK} multiply-adds per thread. Before, such products ran on one thread below
     * {@link #PARALLEL_WORK} (1 M multiply-adds, sized for the wide tiles). {@code GemmTimer --threads 2}, Intel Xeon,
     * three alternating rounds: 64 × 256 · 256 × 10 (fwd2-b64) 6.0–6.1 µs before, 3.5–3.8 µs split (54 against
     * 86–94 GFLOP/s); 256 rows (fwd2-b256) 23.8–23.9 against 13.5–13.8 µs; at 32 K multiply-adds a thread, 32 × 256 ·
     * 256 × 10 2.7 against 2.1–2.6 µs and 64 × 128 · 128 × 10 3.7–3.8 against 2.5–2.8 µs (at 64 K they stayed on one
     * thread and level).
     */
    static final int NARROW_COLUMNS = 16, ROW_SPLIT = 16;
    static final long NARROW_PARALLEL_WORK = 1L << 15;

    /**
     * B stored {@code [N,K]} with A stored {@code [M,K]} (a linear layer's {@code x · Wᵀ}): every entry is a dot
     * product of two contiguous rows, {@code C[m,n] = A[m,:] · B[n,:] (+ bias[n])}, so nothing is packed or
     * transposed. Tiles of {@link #DOT_TILE} rows of A by {@code DOT_TILE} rows of B keep sixteen vector
     * accumulators in registers (each load of A or B feeds four FMAs); edge rows take 1 × 4 and 1 × 1 tiles. With
     * sixteen lanes the last two columns take 8 × 2 tiles and a last single one 16 × 1 tiles, so that a ten-class
     * layer's columns 8 and 9 also share one lane sum per sixteen entries ({@code GemmTimer}, one thread, against
     * 1 × 1 tiles there: fwd2-b64 52–57 against 45–50 GFLOP/s, fwd2-b256 54–62 against 44–58; 64 × 256 · 256 × 9,
     * whose last column takes 16 × 1 tiles, 50–54 against 46–47; 256 rows into 3 columns 39–52 against 30–39).
     * Every entry is computed by the same operations in the same order whichever tile takes it: FMA along k in
     * {@code L} lanes, {@link #sumLanes}, then the last {@code K mod L} products added in order, then the bias.
     * Threads take whole blocks of {@code DOT_TILE} columns, or, for fewer than {@link #NARROW_COLUMNS}, groups of
     * rows; either way results do not depend on the thread count.
     */
    private static void rowsDotRows(float[] a, int aOffset, float[] b, int bOffset, MemorySegment alignedB, float[] bias,
                                    float[] c, int cOffset, int M, int N, int K) {
        boolean byRows = N < NARROW_COLUMNS && M >= 2 * ROW_SPLIT;
        int unit = byRows ? ROW_SPLIT : DOT_TILE, units = ((byRows ? M : N) + unit - 1) / unit;
        int parts = (int) Math.min(Math.min(Threads.get(), byRows ? M / ROW_SPLIT : units),
                Math.max(1, (long) M * N * K / (byRows ? NARROW_PARALLEL_WORK : PARALLEL_WORK)));
        if (parts <= 1) {
            dotColumnRange(a, aOffset, b, bOffset, alignedB, bias, c, cOffset, M, N, K, 0, N);
            return;
        }
        Threads.forEach(parts, part -> {
            int from = units * part / parts * unit, to = units * (part + 1) / parts * unit;
            if (byRows) dotColumnRange(a, aOffset + from * K, b, bOffset, alignedB, bias, c, cOffset + from * N, Math.min(M, to) - from, N, K, 0, N);
            else dotColumnRange(a, aOffset, b, bOffset, alignedB, bias, c, cOffset, M, N, K, from, Math.min(N, to));
        });
    }

    /** C[:, n0..n1): from B's 64-byte-aligned copy when there is one ({@link #linearAligned}), else from B itself. */
    private static void dotColumnRange(float[] a, int aOffset, float[] b, int bOffset, MemorySegment alignedB, float[] bias,
                                       float[] c, int cOffset, int M, int N, int K, int n0, int n1) {
        if (alignedB == null) dotColumns(a, aOffset, b, bOffset, bias, c, cOffset, M, N, K, n0, n1);
        else alignedDotColumns(a, aOffset, alignedB, bias, c, cOffset, M, N, K, n0, n1);
    }

    /**
     * The dot tiles with B read from {@code alignedB}, B's copy on a 64-byte boundary, for fewer than {@link #DOT_TILE}
     * rows of A (a batch of one), where the tiles stream all of B from L2 and a load that spans two cache lines
     * costs most: one 784 × 256 layer at batch 1 (a harness, one thread, Intel Xeon) took 6.6–6.9 µs from aligned
     * memory against 9.5–9.7 µs from a (misaligned) heap array and 10.2–11.3 µs from native memory 16, 32 or 48 bytes
     * past a boundary. The same tiles and operations as {@link #dotColumns}, split over threads by {@link #rowsDotRows}: the same bits;
     * four rows or more take the heap path, whose 4 × 4 tiles load each row of B once for four rows of A.
     */
    @Override
    public void linearAligned(float[] a, int aOffset, float[] w, MemorySegment alignedW, float[] bias,
                              float[] c, int cOffset, int M, int N, int K) {
        if (M >= DOT_TILE || scalarSized(false, true, M, N, K)) {
            linear(a, aOffset, false, w, 0, true, bias, c, cOffset, M, N, K);
            return;
        }
        rowsDotRows(a, aOffset, w, 0, alignedW, bias, c, cOffset, M, N, K);
    }

    /** {@link #dotColumns} for fewer than {@link #DOT_TILE} rows, B read from native memory: 1 × 4 tiles, then single columns. */
    private static void alignedDotColumns(float[] a, int aOffset, MemorySegment b, float[] bias, float[] c, int cOffset,
                                          int M, int N, int K, int n0, int n1) {
        int n = n0;
        for (; n + DOT_TILE <= n1; n += DOT_TILE) {
            for (int m = 0; m < M; m++) dot1x4(a, aOffset + m * K, b, (long) n * K, bias, n, c, cOffset + m * N + n, K);
        }
        for (; n < n1; n++) {
            for (int m = 0; m < M; m++) {
                int aRow = aOffset + m * K;
                long bRow = (long) n * K;
                FloatVector acc = FloatVector.zero(S);
                for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
                    acc = FloatVector.fromArray(S, a, aRow + k).fma(load(b, bRow + k), acc);
                }
                c[cOffset + m * N + n] = finishSum(sumLanes(acc), a, aRow, b, bRow, K, bias, n);
            }
        }
    }

    /** {@link #dot1x4} with B in native memory; {@code bRow} counts floats. */
    private static void dot1x4(float[] a, int aRow, MemorySegment b, long bRow, float[] bias, int n, float[] c, int cAt, int K) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        long b1 = bRow + K, b2 = b1 + K, b3 = b2 + K;
        for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
            FloatVector x = FloatVector.fromArray(S, a, aRow + k);
            c0 = x.fma(load(b, bRow + k), c0);
            c1 = x.fma(load(b, b1 + k), c1);
            c2 = x.fma(load(b, b2 + k), c2);
            c3 = x.fma(load(b, b3 + k), c3);
        }
        c[cAt] = finishSum(sumLanes(c0), a, aRow, b, bRow, K, bias, n);
        c[cAt + 1] = finishSum(sumLanes(c1), a, aRow, b, b1, K, bias, n + 1);
        c[cAt + 2] = finishSum(sumLanes(c2), a, aRow, b, b2, K, bias, n + 2);
        c[cAt + 3] = finishSum(sumLanes(c3), a, aRow, b, b3, K, bias, n + 3);
    }

    /** The vector of floats {@code [i, i + L)} of native memory in the platform's byte order (as {@code JAVA_FLOAT} stores them). */
    private static FloatVector load(MemorySegment b, long i) {
        return FloatVector.fromMemorySegment(S, b, i * Float.BYTES, ByteOrder.nativeOrder());
    }

    /** {@link #finishSum} with B in native memory. */
    private static float finishSum(float d, float[] a, int aRow, MemorySegment b, long bRow, int K, float[] bias, int n) {
        for (int k = S.loopBound(K); k < K; k++) d += a[aRow + k] * b.getAtIndex(ValueLayout.JAVA_FLOAT, bRow + k);
        return bias == null ? d : d + bias[n];
    }

    /** C[:, n0..n1) of {@link #rowsDotRows}: column blocks outermost, so each block of B rows is read from L1 by every row of A. */
    private static void dotColumns(float[] a, int aOffset, float[] b, int bOffset, float[] bias, float[] c, int cOffset,
                                   int M, int N, int K, int n0, int n1) {
        float[] t = DOT_TILES.get();  // lanes of the accumulators, summed by sumTileLanes or finishDot
        int n = n0;
        for (; n + DOT_TILE <= n1; n += DOT_TILE) {
            int bRow = bOffset + n * K;
            int m = 0;
            for (; m + DOT_TILE <= M; m += DOT_TILE) {
                if (L == 8) { // 16 accumulators would spill AVX2's 16 registers: two 4 × 2 tiles instead
                    dot4x2(a, aOffset + m * K, b, bRow, bias, n, c, cOffset + m * N + n, N, K, t);
                    dot4x2(a, aOffset + m * K, b, bRow + 2 * K, bias, n + 2, c, cOffset + m * N + n + 2, N, K, t);
                } else {
                    dot4x4(a, aOffset + m * K, b, bRow, bias, n, c, cOffset + m * N + n, N, K, t);
                }
            }
            for (; m < M; m++) dot1x4(a, aOffset + m * K, b, bRow, bias, n, c, cOffset + m * N + n, K);
        }
        // the last one to three columns: with sixteen lanes, sixteen accumulators as 8 × 2 or 16 × 1 tiles, whose
        // lane sums take one sumTileLanes instead of a butterfly per entry
        while (n < n1) {
            int cols = n1 - n >= 2 ? 2 : 1, m = 0;
            if (L == DOT_TILE * DOT_TILE) {
                for (int rows = L / cols; m + rows <= M; m += rows) {
                    if (cols == 2) dot8x2(a, aOffset + m * K, b, bOffset + n * K, bias, n, c, cOffset + m * N + n, N, K, t);
                    else dot16x1(a, aOffset + m * K, b, bOffset + n * K, bias, n, c, cOffset + m * N + n, N, K, t);
                }
            }
            for (; m < M; m++) {
                for (int j = n; j < n + cols; j++) {
                    int aRow = aOffset + m * K, bRow = bOffset + j * K;
                    FloatVector acc = FloatVector.zero(S);
                    for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
                        acc = FloatVector.fromArray(S, a, aRow + k).fma(FloatVector.fromArray(S, b, bRow + k), acc);
                    }
                    // the lane sum in registers, as dot1x4 does (the same additions as finishDot), without a spill to t
                    c[cOffset + m * N + j] = finishSum(sumLanes(acc), a, aRow, b, bRow, K, bias, j);
                }
            }
            n += cols;
        }
    }

    /**
     * Eight rows of A against two rows of B, C[0..8, 0..2) at {@code cAt}: the sixteen accumulators of
     * {@link #dot4x4} (sixteen lanes only) for the last columns of a narrow C, such as columns 8 and 9 of ten classes.
     */
    private static void dot8x2(float[] a, int aRow, float[] b, int bRow, float[] bias, int n, float[] c, int cAt, int ldc, int K, float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int b1 = bRow + K;
        for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
            FloatVector w0 = FloatVector.fromArray(S, b, bRow + k), w1 = FloatVector.fromArray(S, b, b1 + k);
            FloatVector x = FloatVector.fromArray(S, a, aRow + k);
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            x = FloatVector.fromArray(S, a, aRow + K + k);
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            x = FloatVector.fromArray(S, a, aRow + 2 * K + k);
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            x = FloatVector.fromArray(S, a, aRow + 3 * K + k);
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
            x = FloatVector.fromArray(S, a, aRow + 4 * K + k);
            c40 = x.fma(w0, c40);
            c41 = x.fma(w1, c41);
            x = FloatVector.fromArray(S, a, aRow + 5 * K + k);
            c50 = x.fma(w0, c50);
            c51 = x.fma(w1, c51);
            x = FloatVector.fromArray(S, a, aRow + 6 * K + k);
            c60 = x.fma(w0, c60);
            c61 = x.fma(w1, c61);
            x = FloatVector.fromArray(S, a, aRow + 7 * K + k);
            c70 = x.fma(w0, c70);
            c71 = x.fma(w1, c71);
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, 2 * L);
        c11.intoArray(t, 3 * L);
        c20.intoArray(t, 4 * L);
        c21.intoArray(t, 5 * L);
        c30.intoArray(t, 6 * L);
        c31.intoArray(t, 7 * L);
        c40.intoArray(t, 8 * L);
        c41.intoArray(t, 9 * L);
        c50.intoArray(t, 10 * L);
        c51.intoArray(t, 11 * L);
        c60.intoArray(t, 12 * L);
        c61.intoArray(t, 13 * L);
        c70.intoArray(t, 14 * L);
        c71.intoArray(t, 15 * L);
        sumTileLanes(t);
        for (int i = 0; i < 8; i++) {
            int aAt = aRow + i * K;
            c[cAt + i * ldc] = finishSum(t[2 * i], a, aAt, b, bRow, K, bias, n);
            c[cAt + i * ldc + 1] = finishSum(t[2 * i + 1], a, aAt, b, b1, K, bias, n + 1);
        }
    }

    /** Sixteen rows of A against one row of B, C[0..16, 0] at {@code cAt}: {@link #dot8x2} for a last single column. */
    private static void dot16x1(float[] a, int aRow, float[] b, int bRow, float[] bias, int n, float[] c, int cAt, int ldc, int K, float[] t) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
            FloatVector w = FloatVector.fromArray(S, b, bRow + k);
            c0 = FloatVector.fromArray(S, a, aRow + k).fma(w, c0);
            c1 = FloatVector.fromArray(S, a, aRow + K + k).fma(w, c1);
            c2 = FloatVector.fromArray(S, a, aRow + 2 * K + k).fma(w, c2);
            c3 = FloatVector.fromArray(S, a, aRow + 3 * K + k).fma(w, c3);
            c4 = FloatVector.fromArray(S, a, aRow + 4 * K + k).fma(w, c4);
            c5 = FloatVector.fromArray(S, a, aRow + 5 * K + k).fma(w, c5);
            c6 = FloatVector.fromArray(S, a, aRow + 6 * K + k).fma(w, c6);
            c7 = FloatVector.fromArray(S, a, aRow + 7 * K + k).fma(w, c7);
            c8 = FloatVector.fromArray(S, a, aRow + 8 * K + k).fma(w, c8);
            c9 = FloatVector.fromArray(S, a, aRow + 9 * K + k).fma(w, c9);
            c10 = FloatVector.fromArray(S, a, aRow + 10 * K + k).fma(w, c10);
            c11 = FloatVector.fromArray(S, a, aRow + 11 * K + k).fma(w, c11);
            c12 = FloatVector.fromArray(S, a, aRow + 12 * K + k).fma(w, c12);
            c13 = FloatVector.fromArray(S, a, aRow + 13 * K + k).fma(w, c13);
            c14 = FloatVector.fromArray(S, a, aRow + 14 * K + k).fma(w, c14);
            c15 = FloatVector.fromArray(S, a, aRow + 15 * K + k).fma(w, c15);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, L);
        c2.intoArray(t, 2 * L);
        c3.intoArray(t, 3 * L);
        c4.intoArray(t, 4 * L);
        c5.intoArray(t, 5 * L);
        c6.intoArray(t, 6 * L);
        c7.intoArray(t, 7 * L);
        c8.intoArray(t, 8 * L);
        c9.intoArray(t, 9 * L);
        c10.intoArray(t, 10 * L);
        c11.intoArray(t, 11 * L);
        c12.intoArray(t, 12 * L);
        c13.intoArray(t, 13 * L);
        c14.intoArray(t, 14 * L);
        c15.intoArray(t, 15 * L);
        sumTileLanes(t);
        for (int i = 0; i < L; i++) c[cAt + i * ldc] = finishSum(t[i], a, aRow + i * K, b, bRow, K, bias, n);
    }

    /** Four rows of A (from {@code aRow}, stride K) against four rows of B: C[0..4, 0..4) at {@code cAt}, row stride {@code ldc}. */
    private static void dot4x4(float[] a, int aRow, float[] b, int bRow, float[] bias, int n, float[] c, int cAt, int ldc, int K, float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a1 = aRow + K, a2 = a1 + K, a3 = a2 + K, b1 = bRow + K, b2 = b1 + K, b3 = b2 + K;
        for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
            FloatVector w0 = FloatVector.fromArray(S, b, bRow + k), w1 = FloatVector.fromArray(S, b, b1 + k);
            FloatVector w2 = FloatVector.fromArray(S, b, b2 + k), w3 = FloatVector.fromArray(S, b, b3 + k);
            FloatVector x = FloatVector.fromArray(S, a, aRow + k);
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            c02 = x.fma(w2, c02);
            c03 = x.fma(w3, c03);
            x = FloatVector.fromArray(S, a, a1 + k);
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            c12 = x.fma(w2, c12);
            c13 = x.fma(w3, c13);
            x = FloatVector.fromArray(S, a, a2 + k);
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            c22 = x.fma(w2, c22);
            c23 = x.fma(w3, c23);
            x = FloatVector.fromArray(S, a, a3 + k);
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
            c32 = x.fma(w2, c32);
            c33 = x.fma(w3, c33);
        }
        // lanes spilled to a scratch tile and summed there: passing the vectors to a helper that C2 does not
        // inline would box them (measured: 3.5 MB of garbage per training step)
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c02.intoArray(t, 2 * L);
        c03.intoArray(t, 3 * L);
        c10.intoArray(t, 4 * L);
        c11.intoArray(t, 5 * L);
        c12.intoArray(t, 6 * L);
        c13.intoArray(t, 7 * L);
        c20.intoArray(t, 8 * L);
        c21.intoArray(t, 9 * L);
        c22.intoArray(t, 10 * L);
        c23.intoArray(t, 11 * L);
        c30.intoArray(t, 12 * L);
        c31.intoArray(t, 13 * L);
        c32.intoArray(t, 14 * L);
        c33.intoArray(t, 15 * L);
        if (L == DOT_TILE * DOT_TILE) {
            sumTileLanes(t);
            for (int i = 0; i < DOT_TILE; i++) {
                int aAt = aRow + i * K;
                for (int j = 0; j < DOT_TILE; j++) {
                    c[cAt + i * ldc + j] = finishSum(t[i * DOT_TILE + j], a, aAt, b, bRow + j * K, K, bias, n + j);
                }
            }
            return;
        }
        for (int i = 0; i < DOT_TILE; i++) {
            int aAt = aRow + i * K;
            for (int j = 0; j < DOT_TILE; j++) {
                c[cAt + i * ldc + j] = finishDot(t, (i * DOT_TILE + j) * L, a, aAt, b, bRow + j * K, K, bias, n + j);
            }
        }
    }

    /**
     * Four rows of A against two rows of B, C[0..4, 0..2) at {@code cAt}: the tile of {@link #rowsDotRows} for 256-bit
     * vectors. Eight accumulators leave registers for the loads (AVX2 has 16); measured on an AMD EPYC (Zen 3), one
     * core, K = 784 in L1: 4 × 2 about 70 GFLOP/s, 4 × 4 53, 3 × 4 and 2 × 4 55. Its eight accumulators are eight
     * lanes wide, so {@link #sumTileLanes8} sums them with gathers.
     */
    private static void dot4x2(float[] a, int aRow, float[] b, int bRow, float[] bias, int n, float[] c, int cAt, int ldc, int K, float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a1 = aRow + K, a2 = a1 + K, a3 = a2 + K, b1 = bRow + K;
        for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
            FloatVector w0 = FloatVector.fromArray(S, b, bRow + k), w1 = FloatVector.fromArray(S, b, b1 + k);
            FloatVector x = FloatVector.fromArray(S, a, aRow + k);
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            x = FloatVector.fromArray(S, a, a1 + k);
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            x = FloatVector.fromArray(S, a, a2 + k);
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            x = FloatVector.fromArray(S, a, a3 + k);
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, 2 * L);
        c11.intoArray(t, 3 * L);
        c20.intoArray(t, 4 * L);
        c21.intoArray(t, 5 * L);
        c30.intoArray(t, 6 * L);
        c31.intoArray(t, 7 * L);
        sumTileLanes8(t);
        for (int i = 0; i < DOT_TILE; i++) {
            int aAt = aRow + i * K;
            c[cAt + i * ldc] = finishSum(t[2 * i], a, aAt, b, bRow, K, bias, n);
            c[cAt + i * ldc + 1] = finishSum(t[2 * i + 1], a, aAt, b, b1, K, bias, n + 1);
        }
    }

    /** {@code x·L} for {@code x < L}: gathers lane {@code l} of each of the L accumulators spilled in a row-major {@code L × L} tile. */
    private static final int[] TILE_COLUMN = tileColumn();

    private static int[] tileColumn() {
        int[] map = new int[L];
        for (int x = 0; x < L; x++) map[x] = x * L;
        return map;
    }

    /**
     * The lane sums of the 16 accumulators spilled at {@code t[a·L + l]} (when {@code L = 16}), into {@code t[0..16)}.
     * Vector {@code ul} gathers lane {@code l} of every accumulator, so the butterfly of {@link #sumLanes} (lane
     * {@code i} plus lane {@code i + s}, for s = 8, 4, 2, 1) becomes whole-vector adds {@code ui + u(i+s)}: the same
     * float additions for every accumulator, so the same bits as {@link #sumLanes} and {@link #finishDot}, in 16
     * gathers and 15 adds instead of 240 scalar adds that wait on the vector stores.
     */
    private static void sumTileLanes(float[] t) {
        FloatVector u0 = FloatVector.fromArray(S, t, 0, TILE_COLUMN, 0), u1 = FloatVector.fromArray(S, t, 1, TILE_COLUMN, 0);
        FloatVector u2 = FloatVector.fromArray(S, t, 2, TILE_COLUMN, 0), u3 = FloatVector.fromArray(S, t, 3, TILE_COLUMN, 0);
        FloatVector u4 = FloatVector.fromArray(S, t, 4, TILE_COLUMN, 0), u5 = FloatVector.fromArray(S, t, 5, TILE_COLUMN, 0);
        FloatVector u6 = FloatVector.fromArray(S, t, 6, TILE_COLUMN, 0), u7 = FloatVector.fromArray(S, t, 7, TILE_COLUMN, 0);
        FloatVector u8 = FloatVector.fromArray(S, t, 8, TILE_COLUMN, 0), u9 = FloatVector.fromArray(S, t, 9, TILE_COLUMN, 0);
        FloatVector u10 = FloatVector.fromArray(S, t, 10, TILE_COLUMN, 0), u11 = FloatVector.fromArray(S, t, 11, TILE_COLUMN, 0);
        FloatVector u12 = FloatVector.fromArray(S, t, 12, TILE_COLUMN, 0), u13 = FloatVector.fromArray(S, t, 13, TILE_COLUMN, 0);
        FloatVector u14 = FloatVector.fromArray(S, t, 14, TILE_COLUMN, 0), u15 = FloatVector.fromArray(S, t, 15, TILE_COLUMN, 0);
        u0 = u0.add(u8);
        u1 = u1.add(u9);
        u2 = u2.add(u10);
        u3 = u3.add(u11);
        u4 = u4.add(u12);
        u5 = u5.add(u13);
        u6 = u6.add(u14);
        u7 = u7.add(u15);
        u0 = u0.add(u4);
        u1 = u1.add(u5);
        u2 = u2.add(u6);
        u3 = u3.add(u7);
        u0 = u0.add(u2);
        u1 = u1.add(u3);
        u0.add(u1).intoArray(t, 0);
    }

    /** {@link #sumTileLanes} for eight accumulators of eight lanes: the butterfly for s = 4, 2, 1. */
    private static void sumTileLanes8(float[] t) {
        FloatVector u0 = FloatVector.fromArray(S, t, 0, TILE_COLUMN, 0), u1 = FloatVector.fromArray(S, t, 1, TILE_COLUMN, 0);
        FloatVector u2 = FloatVector.fromArray(S, t, 2, TILE_COLUMN, 0), u3 = FloatVector.fromArray(S, t, 3, TILE_COLUMN, 0);
        FloatVector u4 = FloatVector.fromArray(S, t, 4, TILE_COLUMN, 0), u5 = FloatVector.fromArray(S, t, 5, TILE_COLUMN, 0);
        FloatVector u6 = FloatVector.fromArray(S, t, 6, TILE_COLUMN, 0), u7 = FloatVector.fromArray(S, t, 7, TILE_COLUMN, 0);
        u0 = u0.add(u4);
        u1 = u1.add(u5);
        u2 = u2.add(u6);
        u3 = u3.add(u7);
        u0 = u0.add(u2);
        u1 = u1.add(u3);
        u0.add(u1).intoArray(t, 0);
    }

    /** One row of A against four rows of B: C[0, 0..4) at {@code cAt}. */
    private static void dot1x4(float[] a, int aRow, float[] b, int bRow, float[] bias, int n, float[] c, int cAt, int K) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int b1 = bRow + K, b2 = b1 + K, b3 = b2 + K;
        for (int k = 0, bound = S.loopBound(K); k < bound; k += L) {
            FloatVector x = FloatVector.fromArray(S, a, aRow + k);
            c0 = x.fma(FloatVector.fromArray(S, b, bRow + k), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, b1 + k), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, b2 + k), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, b3 + k), c3);
        }
        // lane sums in registers (sumLanes, inlined in this small method): going through the scratch array made each
        // scalar load wait on a wide store, 74% of a batch-1 forward pass (JFR) against 0 for the register folds
        c[cAt] = finishSum(sumLanes(c0), a, aRow, b, bRow, K, bias, n);
        c[cAt + 1] = finishSum(sumLanes(c1), a, aRow, b, b1, K, bias, n + 1);
        c[cAt + 2] = finishSum(sumLanes(c2), a, aRow, b, b2, K, bias, n + 2);
        c[cAt + 3] = finishSum(sumLanes(c3), a, aRow, b, b3, K, bias, n + 3);
    }

    /**
     * The {@code L} lanes at {@code t[o..]} summed in the butterfly order of {@link #sumLanes} (lane i plus lane
     * i + s, for s = L/2, …, 1: the same float additions, so the same result), then the products past the last
     * whole vector in order, then the bias.
     */
    private static float finishDot(float[] t, int o, float[] a, int aRow, float[] b, int bRow, int K, float[] bias, int n) {
        for (int s = L / 2; s > 0; s /= 2) {
            for (int i = 0; i < s; i++) t[o + i] += t[o + i + s];
        }
        return finishSum(t[o], a, aRow, b, bRow, K, bias, n);
    }

    /** {@link #finishDot} after the lane sum {@code d}: the products past the last whole vector in order, then the bias. */
    private static float finishSum(float d, float[] a, int aRow, float[] b, int bRow, int K, float[] bias, int n) {
        for (int k = S.loopBound(K); k < K; k++) d += a[aRow + k] * b[bRow + k];
        return bias == null ? d : d + bias[n];
    }

    // ------------------------------------------------------------------ convolution and pooling (VectorConvolution)

    @Override
    public void im2col(float[] x, int N, Window2d w, float padValue, float[] out) {
        VectorConvolution.im2col(x, N, w, padValue, out);
    }

    /** Lanes of 64-bit draws, and as many float lanes for the mask they give. */
    private static final VectorSpecies<Long> DRAWS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> DRAW_FLOATS = VectorSpecies.of(float.class, VectorShape.forBitSize(DRAWS.length() * Float.SIZE));

    /**
     * {@link SplitMix64#dropout} with {@link #DRAWS} draws at a time, in {@link #inSlices}: every entry depends only on
     * its index, so the bits do not depend on the split. The scalar loop took 4.2 ns per entry on one core (the cnn's
     * 64 × 64 × 12 × 12 mask alone: 2.5 ms).
     */
    @Override
    public void dropout(float[] x, long state, double p, float scale, float[] out, int n) {
        long threshold = SplitMix64.threshold(p);
        inSlices(n, (from, to) -> {
            int i = from, step = DRAWS.length();
            // two 64-bit lanes (128-bit vectors) give 64-bit float vectors, which C2 does not compile: 5× slower than the scalar loop
            if (step >= 4) {
                LongVector z = LongVector.broadcast(DRAWS, state + (from + 1L) * SplitMix64.GAMMA)
                        .add(LongVector.zero(DRAWS).addIndex(1).mul(SplitMix64.GAMMA));
                LongVector advance = LongVector.broadcast(DRAWS, step * SplitMix64.GAMMA);
                FloatVector zero = FloatVector.zero(DRAW_FLOATS), kept = FloatVector.broadcast(DRAW_FLOATS, scale);
                for (int bound = from + DRAWS.loopBound(to - from); i < bound; i += step, z = z.add(advance)) {
                    LongVector bits = mix(z).lanewise(VectorOperators.LSHR, 11);
                    FloatVector mask = zero.blend(kept, bits.compare(VectorOperators.GE, threshold).cast(DRAW_FLOATS));
                    FloatVector.fromArray(DRAW_FLOATS, x, i).mul(mask).intoArray(out, i);
                }
            }
            SplitMix64.dropout(state, threshold, scale, x, out, i, to);
        });
    }

    /** {@link SplitMix64#mix} lane by lane. */
    private static LongVector mix(LongVector z) {
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
        return z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
    }

    @Override
    public void col2im(float[] cols, int N, Window2d w, float[] out) {
        VectorConvolution.col2im(cols, N, w, out);
    }

    @Override
    public void conv2d(float[] x, int N, Window2d w, float[] weight, float[] bias, boolean relu, Window2d pool, int O,
                       float[] y, int[] argmax) {
        VectorConvolution.conv2d(this, x, N, w, weight, bias, relu, pool, O, y, argmax);
    }

    @Override
    public void conv2dBackward(float[] x, float[] g, float[] reluOut, Window2d pool, int[] argmax, int N, Window2d w,
                               float[] weight, int O, float[] dX, float[] dWeight, float[] dBias) {
        VectorConvolution.conv2dBackward(this, x, g, reluOut, pool, argmax, N, w, weight, O, dX, dWeight, dBias);
    }

    @Override
    public void maxPool2d(float[] x, int P, Window2d w, float[] out, int[] argmax) {
        VectorConvolution.maxPool2d(x, P, w, out, argmax);
    }

    @Override
    public void maxPool2dBackward(float[] g, int[] argmax, int P, Window2d w, float[] dX) {
        VectorConvolution.maxPool2dBackward(g, argmax, P, w, dX);
    }
}
