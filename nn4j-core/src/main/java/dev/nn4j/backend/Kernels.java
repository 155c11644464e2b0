package dev.nn4j.backend;

import java.lang.foreign.MemorySegment;

/**
 * The narrow kernel interface: one method per primitive, over plain {@code float[]} buffers.
 * Letters follow llm.c: {@code M, N, K} for GEMM; {@code outer, R, inner} for a tensor seen as
 * {@code [outer, R, inner]} with the middle axis reduced. Outputs are overwritten unless a method says
 * it accumulates. {@link ScalarKernels} is the reference; every faster implementation is tested against it.
 */
public interface Kernels {

    /** {@code out[i] = fn(x[i])} for {@code i < n}; {@code x} and {@code out} may be the same array. */
    void unary(UnaryFn fn, float[] x, float[] out, int n);

    /**
     * {@code out = fn(a, b)} over {@code shape} (contiguous output), reading {@code a} and {@code b} through
     * their own offsets and strides; a stride of 0 broadcasts.
     */
    void binary(BinaryFn fn, float[] a, int aOffset, int[] aStrides, float[] b, int bOffset, int[] bStrides,
                float[] out, int[] shape);

    /** {@code out = cond != 0 ? a : b}, strided like {@link #binary}. */
    void where(float[] cond, int cOffset, int[] cStrides, float[] a, int aOffset, int[] aStrides,
               float[] b, int bOffset, int[] bStrides, float[] out, int[] shape);

    /** Copies a strided view into a contiguous {@code out}. */
    void copy(float[] src, int offset, int[] shape, int[] strides, float[] out);

    /**
     * Row-major GEMM {@code C[M,N] = op(A) · op(B)} (overwrites C), where {@code op(A)} is {@code [M,K]}:
     * A is stored {@code [M,K]}, or {@code [K,M]} when {@code transA}; B is {@code [K,N]}, or {@code [N,K]} when {@code transB}.
     */
    void matmul(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                float[] c, int cOffset, int M, int N, int K);

    /**
     * {@code C[M,N] += op(A) · op(B)} (accumulates into C, BLAS's β = 1); layouts as {@link #matmul}. Backward passes
     * add a weight gradient straight into a parameter's gradient buffer with it. Each product is summed in the same
     * order as {@link #matmul}'s, so on a C of +0 it gives {@code matmul}'s result bit for bit, except that a product
     * of −0 lands as +0 (as {@code +0 + −0} does in PyTorch's in-place gradient accumulation).
     */
    void matmulAdd(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                   float[] c, int cOffset, int M, int N, int K);

    /**
     * A linear layer's forward, {@code C[M,N] = op(A) · op(B) + bias} with {@code bias[N]} added to every row
     * (null for none); layouts as {@link #matmul} ({@code x · Wᵀ} is {@code transB}). Overwrites C.
     */
    void linear(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB, float[] bias,
                float[] c, int cOffset, int M, int N, int K);

    /**
     * {@link #linear}'s {@code C[M,N] = A · Wᵀ + bias} for A stored {@code [M,K]} and a weight {@code w} stored
     * {@code [N,K]} from index 0, whose {@code N·K} values {@code alignedW} holds too, in native memory that starts on
     * a 64-byte boundary ({@code dev.nn4j.tensor.InferenceWeight}). A kernel that streams W for few rows of A reads
     * the aligned copy: a 512-bit load from a heap array spans two cache lines unless the array happens to start on a
     * 64-byte boundary, and Java can neither align a heap array nor tell where one lies. Gives {@code linear}'s
     * result bit for bit; this default is that call.
     */
    default void linearAligned(float[] a, int aOffset, float[] w, MemorySegment alignedW, float[] bias,
                               float[] c, int cOffset, int M, int N, int K) {
        linear(a, aOffset, false, w, 0, true, bias, c, cOffset, M, N, K);
    }

    /**
     * One Adam/AdamW step over {@code n} elements, in place on the parameter {@code p} and the moments {@code m},
     * {@code v} (and {@code vMax} for amsgrad, else null); {@code g} is only read. Per element, in float:
     * {@code g' = g + l2·p} (or {@code p = p·shrink} when decoupled); {@code m = m·β₁ + (1−β₁)·g'};
     * {@code v = v·β₂ + (1−β₂)·g'·g'}; {@code m} and {@code v} are stored as zero when below the smallest normal float
     * in magnitude ({@link Float#MIN_NORMAL}, 1.18e-38); {@code vMax = max(vMax, v)};
     * {@code p = p + negStepSize·m / (√v̂ / bc2Sqrt + ε)}.
     * Every implementation performs these float operations in this order, so all give identical results.
     *
     * <p>The flush matters for speed, not accuracy: where a gradient stays zero (a ReLU unit dead for a whole batch),
     * {@code m} shrinks by β₁ each step and becomes subnormal after about 800 steps, and x86 cores take a slow path for
     * subnormal operands. In the seed MLP about a tenth of the first layer's {@code m} was subnormal from the first
     * epoch's end on, and the update took 350-372 µs instead of 168-189 µs (one thread). A subnormal {@code m} moves a
     * parameter by less than 1e-30 (with lr ≤ 1 and ε ≥ 1e-8), far below a float's resolution at any weight that is
     * not itself that small. PyTorch keeps subnormals unless {@code torch.set_flush_denormal(True)}.
     */
    void adam(AdamStep s, float[] p, float[] g, float[] m, float[] v, float[] vMax, int n);

    /**
     * ReLU's input gradient {@code out[i] = g[i] · (x[i] > 0 ? 1 : 0)} for {@code i < n}: the float product, so a NaN or
     * ∞ in {@code g} where {@code x ≤ 0} still gives NaN and a negative {@code g} there gives −0, as in PyTorch.
     */
    void reluGrad(float[] g, float[] x, float[] out, int n);

    /** {@code out[o, i] = Σ_r x[o, r, i]}. */
    void sum(float[] x, int outer, int R, int inner, float[] out);

    /** {@code out[o, i] = max_r x[o, r, i]} and, when {@code argOut} is not null, the first index of the maximum (NaN wins). */
    void max(float[] x, int outer, int R, int inner, float[] out, float[] argOut);

    /** Softmax (or log-softmax) along the middle axis, max-subtracted for stability. */
    void softmax(float[] x, int outer, int R, int inner, float[] out, boolean log);

    /**
     * {@code out[o, j, i] = x[o, index[j], i]}: selects {@code J} entries of the middle axis.
     * Indices are checked by the caller.
     */
    void indexSelect(float[] x, int outer, int R, int inner, float[] index, int J, float[] out);

    /** Accumulates: {@code out[o, index[j], i] += src[o, j, i]} (the adjoint of {@link #indexSelect}). */
    void indexAdd(float[] src, int outer, int J, int inner, float[] index, float[] out, int R);

    /** {@code out[o, j, i] = x[o, index[o, j, i], i]} ({@code torch.gather}; index and out are {@code [outer, J, inner]}). */
    void gather(float[] x, int outer, int R, int inner, float[] index, int J, float[] out);

    /** Accumulates: {@code out[o, index[o, j, i], i] += src[o, j, i]} (the adjoint of {@link #gather}). */
    void scatterAdd(float[] src, int outer, int J, int inner, float[] index, float[] out, int R);

    /**
     * Inverted dropout of {@code x[0 .. n)}: {@code out[i] = x[i] · scale} where draw {@code i} of a {@code Generator} in
     * {@code state}, as {@code nextDouble()} gives it, is at least {@code p}, else {@code x[i] · 0}
     * ({@link SplitMix64#dropout}). The same bits as drawing the elements one after another in order, however the work
     * is split. Its gradient is the same product with the output's gradient for x, so the mask is never stored.
     */
    void dropout(float[] x, long state, double p, float scale, float[] out, int n);

    /**
     * im2col: for each of {@code N} images {@code x[n]} of {@code [C, H, W]}, writes {@code out[n]} of
     * {@code [C·kH·kW, outH·outW]} with {@code out[n, (c·kH + i)·kW + j, oh·outW + ow] = x[n, c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW]},
     * or {@code padValue} where that position lies outside the image.
     */
    void im2col(float[] x, int N, Window2d w, float padValue, float[] out);

    /** Accumulates col2im, the adjoint of {@link #im2col}: every column entry inside the image is added to the pixel it was read from. */
    void col2im(float[] cols, int N, Window2d w, float[] out);

    /**
     * Fused 2-D convolution with one group: {@code y[n, o, p] = Σ_k weight[o, k] · cols_n[k, p] + bias[o]}, where
     * {@code cols_n} ({@code [C·kH·kW, outH·outW]}) is {@link #im2col} of image {@code x[n]} ({@code [C, H, W]}) with zero
     * padding, {@code weight} is {@code [O, C·kH·kW]}, {@code bias} {@code [O]} or null, and {@code y}
     * {@code [N, O, outH·outW]} is overwritten. With {@code relu}, each output then takes {@link #unary} RELU's value.
     * With a {@code pool} window (over planes {@code [outH, outW]}), y ({@code [N, O, pool.outH·pool.outW]}) and
     * {@code argmax} are instead {@link #maxPool2d} of that output, which itself is not kept; else argmax is unused.
     */
    void conv2d(float[] x, int N, Window2d w, float[] weight, float[] bias, boolean relu, Window2d pool, int O,
                float[] y, int[] argmax);

    /**
     * The gradients of {@link #conv2d} given {@code g} ({@code [N, O, outH·outW]}); each output may be null when it is
     * not wanted and is overwritten otherwise: {@code dX[n] = col2im(weightᵀ · g[n])}, {@code dWeight = Σ_n g[n] · cols_nᵀ},
     * {@code dBias[o] = Σ_{n,p} g[n, o, p]}. When {@code reluOut} (the output of a {@code relu} convolution) is given,
     * g first takes the ReLU's gradient, {@link #reluGrad}{@code (g, reluOut)}: the same bits as passing that product.
     * With {@code pool} and the forward pass's {@code argmax}, g is the pooled output's gradient and reluOut, when
     * given, the pooled output: g first goes back through {@link #maxPool2dBackward}, then the ReLU (a position's ReLU
     * output is the pooled value of any window whose maximum it is, and other positions get no gradient), with the bits
     * of those kernels in turn.
     */
    void conv2dBackward(float[] x, float[] g, float[] reluOut, Window2d pool, int[] argmax, int N, Window2d w,
                        float[] weight, int O, float[] dX, float[] dWeight, float[] dBias);

    /**
     * Max pooling of {@code P} planes {@code [H, W]} over the window {@code w} (its {@code C} is ignored; positions outside
     * the image never win): {@code out[p, l]} is the window maximum (NaN wins) and {@code argmax[p, l]} the index
     * {@code ih·W + iw} of its first occurrence in the plane. Both {@code [P, outH·outW]}, overwritten.
     */
    void maxPool2d(float[] x, int P, Window2d w, float[] out, int[] argmax);

    /**
     * The adjoint of {@link #maxPool2d}: {@code dX[p, argmax[p, l]] += g[p, l]} over {@code dX} {@code [P, H·W]}, which
     * is overwritten (zero where no window's maximum lies).
     */
    void maxPool2dBackward(float[] g, int[] argmax, int P, Window2d w, float[] dX);
}
