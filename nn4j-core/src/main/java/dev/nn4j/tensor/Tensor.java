package dev.nn4j.tensor;

import dev.nn4j.autograd.Engine;
import dev.nn4j.autograd.NoGrad;
import dev.nn4j.autograd.Op;
import dev.nn4j.backend.BinaryFn;
import dev.nn4j.backend.UnaryFn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional float32 tensor: a {@code float[]} on the heap seen through a shape, strides and an offset,
 * plus what reverse-mode autograd needs (the op that produced it and the gradient of a leaf).
 * Views (reshape, transpose, narrow, expand, …) share storage; every op returns a new tensor.
 * This file is the user-facing op surface, so it is long; the work is done in {@link TensorOps},
 * the kernels and the autograd package.
 */
public final class Tensor {
    final float[] data;
    final int offset;
    final int[] shape;
    final int[] strides;

    private boolean requiresGrad;
    private Tensor grad;
    /**
     * Set by {@link #zeroGrad()}: the dense {@link #grad} stands for zeros but still holds the old values. The next
     * backward overwrites it instead of adding to zeros, and {@link #grad()} clears it first if read before that. A
     * weight gradient is then written once per step instead of cleared, read and written again.
     */
    private boolean gradStale;
    private Op gradFn;
    private boolean graphFreed;
    /**
     * True while no other tensor and no caller of {@link #array()} can reach {@link #data}: set on the fresh output
     * of an op, cleared when a view, a detached copy or the backing array is handed out. Lets
     * {@link #accumulateGrad(Tensor, boolean)} take over an engine temporary's storage instead of copying it.
     */
    private boolean exclusive;
    private boolean releaseAfterBackward;

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A contiguous tensor over {@code data} (not copied). */
    static Tensor wrap(float[] data, int... shape) {
        return new Tensor(data, 0, shape, Shape.contiguousStrides(shape));
    }

    /** Result of an op: records {@code op} when grad mode is on and an input requires grad. */
    static Tensor result(float[] data, int[] shape, Op op) {
        Tensor t = view(data, 0, shape, Shape.contiguousStrides(shape), op);
        t.exclusive = true;
        return t;
    }

    /** {@link #data} is about to be shared with another tensor: it is no longer this tensor's alone. */
    float[] shared() {
        exclusive = false;
        return data;
    }

    static Tensor view(float[] data, int offset, int[] shape, int[] strides, Op op) {
        Tensor t = new Tensor(data, offset, shape, strides);
        if (op != null && NoGrad.gradEnabled()) {
            for (Tensor in : op.inputs()) {
                if (in.requiresGrad) {
                    t.requiresGrad = true;
                    t.gradFn = op;
                    break;
                }
            }
        }
        return t;
    }

    // ------------------------------------------------------------------ creation

    /**
     * A copy of {@code values} with the given shape. With no shape it is 1-D, except that a single value with no
     * shape gives a rank-0 tensor (so that {@code fromArray(v, t.shape())} round-trips scalars); pass {@code 1} for a 1-D one.
     */
    public static Tensor fromArray(float[] values, int... shape) {
        return wrap(values.clone(), fillShape("fromArray", values, shape));
    }

    /** The shape {@code values} fill: {@code shape} checked and copied, or 1-D (or rank 0 for one value) when empty. */
    private static int[] fillShape(String op, float[] values, int[] shape) {
        if (shape.length == 0 && values.length != 1) shape = new int[] {values.length};
        checkShape(op, shape);
        if (Shape.numel(shape) != values.length) {
            throw new IllegalArgumentException(op + ": " + values.length + " values cannot fill shape " + Shape.str(shape)
                    + " (" + Shape.numel(shape) + " elements)");
        }
        return shape.clone();
    }

    /**
     * A tensor over {@code values} without copying them, as {@code torch.from_numpy}: later writes to the array show in
     * the tensor, so pass an array nothing else will write (one just filled, say). The shape rules are those of
     * {@link #fromArray}.
     */
    public static Tensor share(float[] values, int... shape) {
        return wrap(values, fillShape("share", values, shape));
    }

    /** A 1-D tensor of the given values: {@code Tensor.of(1, 2, 3)}. */
    public static Tensor of(float... values) {
        return wrap(values.clone(), values.length);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value});
    }

    public static Tensor zeros(int... shape) {
        return alloc("zeros", shape);
    }

    public static Tensor ones(int... shape) {
        Tensor t = alloc("ones", shape);
        Arrays.fill(t.data, 1f);
        return t;
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = alloc("full", shape);
        Arrays.fill(t.data, value);
        return t;
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** {@code [0, 1, …, end-1]}. */
    public static Tensor arange(float end) {
        return arange(0, end, 1);
    }

    /** {@code start, start+step, …} while below {@code end} (above, for a negative step). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be non-zero");
        int n = (int) Math.max(0, Math.ceil((end - start) / (double) step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (start + (double) i * step);
        return wrap(v, n);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be non-negative but was " + steps);
        float[] v = new float[steps];
        double step = steps > 1 ? ((double) end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) v[i] = (float) (start + i * step);
        if (steps > 1) v[steps - 1] = end;
        return wrap(v, steps);
    }

    /** The {@code n × n} identity matrix. */
    public static Tensor eye(int n) {
        if (n < 0) throw new IllegalArgumentException("eye: size must be non-negative but was " + n);
        Tensor t = zeros(n, n);
        for (int i = 0; i < n; i++) t.data[i * n + i] = 1f;
        return t;
    }

    /** Uniform in [0, 1) from the global {@link Generator}. */
    public static Tensor rand(int... shape) {
        return rand(Generator.global(), shape);
    }

    public static Tensor rand(Generator gen, int... shape) {
        Tensor t = alloc("rand", shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = gen.nextFloat();
        return t;
    }

    /** Standard normal from the global {@link Generator}. */
    public static Tensor randn(int... shape) {
        return randn(Generator.global(), shape);
    }

    public static Tensor randn(Generator gen, int... shape) {
        Tensor t = alloc("randn", shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) gen.nextGaussian();
        return t;
    }

    /** Uniform integers in [low, high) stored as floats. */
    public static Tensor randint(int low, int high, int[] shape, Generator gen) {
        if (high <= low) throw new IllegalArgumentException("randint: high (" + high + ") must be greater than low (" + low + ")");
        Tensor t = alloc("randint", shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = low + gen.nextInt(high - low);
        return t;
    }

    public static Tensor randint(int low, int high, int... shape) {
        return randint(low, high, shape, Generator.global());
    }

    /** A random permutation of {@code 0 … n-1} (Fisher–Yates). */
    public static Tensor randperm(int n, Generator gen) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative but was " + n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            float tmp = v[i];
            v[i] = v[j];
            v[j] = tmp;
        }
        return wrap(v, n);
    }

    /** A zero-filled tensor of a checked shape; {@code op} names the caller in the error. */
    private static Tensor alloc(String op, int[] shape) {
        checkShape(op, shape);
        return wrap(new float[Shape.numel(shape)], shape.clone());
    }

    private static void checkShape(String op, int[] shape) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Shape.str(shape));
        }
    }

    // ------------------------------------------------------------------ accessors

    /** A copy of the sizes. */
    public int[] shape() {
        return shape.clone();
    }

    public int size(int dim) {
        return shape[Shape.dim("size", dim, shape)];
    }

    public int[] strides() {
        return strides.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    /** True when the elements lie in row-major order without gaps (strides of size-1 dims do not matter, as in PyTorch). */
    public boolean isContiguous() {
        if (numel() <= 1) return true;
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalArgumentException("item() needs a tensor with one element, but the shape is " + Shape.str(shape));
        return data[offset];
    }

    /** One element by its index in every dimension. */
    public float get(int... index) {
        return data[flatIndex("get", index)];
    }

    /** Sets one element in place, bypassing autograd (for building inputs and tests). */
    public void set(float value, int... index) {
        data[flatIndex("set", index)] = value;
    }

    private int flatIndex(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " has " + index.length + " entries but the tensor of shape "
                    + Shape.str(shape) + " has rank " + shape.length);
        }
        int p = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " is out of bounds for shape " + Shape.str(shape));
            }
            p += i * strides[d];
        }
        return p;
    }

    /** The elements in row-major order (always a fresh array). */
    public float[] toFloatArray() {
        if (isDense()) return Arrays.copyOf(data, data.length);
        float[] out = new float[numel()];
        TensorOps.kernels().copy(data, offset, shape, strides, out);
        return out;
    }

    /**
     * The backing array of a contiguous tensor that owns its storage, for kernels, optimizers and model files
     * that update in place. Writes bypass autograd.
     */
    public float[] array() {
        if (!isDense()) throw new IllegalStateException("array() needs a contiguous tensor that owns its storage; call contiguous() first");
        return shared();
    }

    /** Contiguous, starting at 0 and using the whole array: {@link #data} can be handed to a kernel as is. */
    boolean isDense() {
        return offset == 0 && data.length == numel() && isContiguous();
    }

    /** The elements as a contiguous array, without copying when already dense. */
    float[] dense() {
        return isDense() ? data : toFloatArray();
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor in place, bypassing autograd. */
    public Tensor copyFrom(Tensor src) {
        Tensor b;
        try {
            b = src.detach().expand(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("copyFrom: source shape " + Shape.str(src.shape) + " does not broadcast to " + Shape.str(shape), e);
        }
        float[] values = b.toFloatArray();
        if (isDense()) {
            System.arraycopy(values, 0, data, 0, values.length);
        } else {
            int[] idx = new int[shape.length];
            for (int i = 0; i < values.length; i++) {
                int p = offset;
                for (int d = 0; d < shape.length; d++) p += idx[d] * strides[d];
                data[p] = values[i];
                for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
            }
        }
        return this;
    }

    /** Fills this tensor in place, bypassing autograd. */
    public Tensor fill(float value) {
        return copyFrom(scalar(value));
    }

    /** A deep copy with its own storage, recorded like any op so gradients flow through it. */
    public Tensor copy() {
        return TensorOps.copy(this);
    }

    // ------------------------------------------------------------------ autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a variable whose gradient {@link #backward()} accumulates. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) is only valid on leaf tensors; use detach() on computed tensors");
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null. */
    public Tensor grad() {
        if (gradStale) {
            Arrays.fill(grad.data, 0f);
            gradStale = false;
        }
        return grad;
    }

    public void setGrad(Tensor grad) {
        if (grad != null && !Arrays.equals(grad.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(grad.shape) + " does not match tensor shape " + Shape.str(shape));
        }
        this.grad = grad;
        gradStale = false;
    }

    /**
     * Zeroes the gradient, keeping its array, so that the next backward writes into the same buffer instead of
     * allocating one (PyTorch 1.13's default {@code zero_grad(set_to_none=False)}). A tensor without a gradient
     * keeps none. The array is cleared lazily: by the next backward, which overwrites it, or by {@link #grad()} if that
     * comes first, so the gradient always reads as zeros. Only a reference to the gradient tensor kept from before
     * this call and read without {@link #grad()} would see the old values.
     */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /**
     * Zeroes the gradient in place ({@code setToNone} false) or drops it ({@code setToNone} true, PyTorch's
     * {@code set_to_none=True}: the next backward allocates a fresh gradient, and optimizers skip this tensor
     * until then).
     */
    public void zeroGrad(boolean setToNone) {
        gradStale = false;
        if (setToNone || grad == null) grad = null;
        else if (grad.isDense()) gradStale = true;
        else grad.fill(0f);
    }

    /** The recorded op that produced this tensor, or null for leaves and tensors computed without grad. */
    public Op gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null && !graphFreed;
    }

    /** Adds {@code g} to the gradient of this leaf; {@code g} is copied, never kept. */
    public void accumulateGrad(Tensor g) {
        accumulateGrad(g, false);
    }

    /**
     * Adds {@code g} to the gradient of this leaf (the autograd engine calls this). When {@code temporary} (the engine
     * computed {@code g} and drops it afterwards), the first gradient takes over g's storage instead of copying it,
     * provided no other tensor shares that storage; a gradient of a large layer is then never copied.
     */
    public void accumulateGrad(Tensor g, boolean temporary) {
        if (!Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("accumulateGrad: gradient shape " + Shape.str(g.shape) + " does not match " + Shape.str(shape));
        }
        if (gradStale) {
            // 0 + g, without reading the stale values (+ 0 turns −0 into +0, as the addition to zeros does)
            float[] acc = grad.data, add = g.dense();
            for (int i = 0; i < acc.length; i++) acc[i] = add[i] + 0f;
            gradStale = false;
        } else if (grad == null && temporary && g.exclusive && g.isDense()) {
            grad = wrap(g.shared(), shape.clone());
        } else if (grad == null || !grad.isDense()) {
            // a fresh array, or a dense copy of a gradient that was set as a view, before adding in place
            Tensor previous = grad;
            grad = wrap(g.toFloatArray(), shape.clone());
            if (previous != null) {
                float[] acc = grad.data, add = previous.toFloatArray();
                for (int i = 0; i < acc.length; i++) acc[i] += add[i];
            }
        } else {
            float[] acc = grad.array();
            float[] add = g.dense();
            for (int i = 0; i < acc.length; i++) acc[i] += add[i];
        }
    }

    /**
     * Adds {@code a · b} (both 2-D) to the gradient of this 2-D leaf in place, without a temporary product; a
     * missing gradient starts as zeros (the autograd engine calls this for a weight whose gradient has no other
     * contribution in the graph). A missing or zeroed gradient is overwritten with the product rather than added to,
     * so it equals the product bit for bit (the GEMM's own −0 included, where adding to zeros would give +0).
     */
    public void accumulateGradMatmul(Tensor a, Tensor b) {
        accumulateGradMatmul(a, false, b);
    }

    /**
     * As {@link #accumulateGradMatmul(Tensor, Tensor)} with {@code aᵀ · b} when {@code transposeA}: reads {@code a}
     * transposed in place, so no view of it is made (a view would mark a gradient temporary's storage as shared and
     * keep the engine from reusing it).
     */
    public void accumulateGradMatmul(Tensor a, boolean transposeA, Tensor b) {
        int rowsA = a.shape.length == 2 ? a.shape[transposeA ? 1 : 0] : -1, colsA = a.shape.length == 2 ? a.shape[transposeA ? 0 : 1] : -1;
        if (dim() != 2 || a.dim() != 2 || b.dim() != 2 || rowsA != shape[0] || b.shape[1] != shape[1] || colsA != b.shape[0]) {
            throw new IllegalArgumentException("accumulateGradMatmul: cannot add the product of shapes " + Shape.str(a.shape)
                    + (transposeA ? " (transposed)" : "") + " and " + Shape.str(b.shape) + " to a gradient of shape " + Shape.str(shape));
        }
        boolean fresh = grad == null || gradStale;
        if (grad == null) grad = wrap(new float[numel()], shape.clone());
        else if (!grad.isDense()) grad = wrap(grad.toFloatArray(), shape.clone());
        TensorOps.matmulInto(a, transposeA, b, grad.data, !fresh);
        gradStale = false;
    }

    /**
     * For the autograd engine: hands this gradient temporary's storage to the thread's buffer cache when no other
     * tensor and no caller of {@link #array()} can reach it (the tensor must not be used afterwards), so that the
     * next op output of the same size reuses it. Does nothing for a tensor that shares its storage. Returns whether
     * the storage was taken.
     */
    public boolean release() {
        if (!exclusive || !isDense()) return false;
        exclusive = false;
        Buffers.give(data);
        return true;
    }

    /**
     * For containers such as {@code Sequential}: marks this op result as an activation that no caller can reach, whose
     * storage the autograd engine hands to the buffer cache ({@link #release}) once a backward pass through it is done
     * and frees the graph. Returns this tensor.
     */
    public Tensor releaseAfterBackward() {
        releaseAfterBackward = true;
        return this;
    }

    /** Whether {@link #releaseAfterBackward} marked this tensor. */
    public boolean releasesAfterBackward() {
        return releaseAfterBackward;
    }

    /** Forgets the recorded op after backward, so that a second backward fails instead of giving a wrong answer. */
    public void freeGraph() {
        gradFn = null;
        graphFreed = true;
    }

    public boolean isGraphFreed() {
        return graphFreed;
    }

    /** Back-propagates from this scalar. */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /** Back-propagates with an explicit upstream gradient of this tensor's shape. */
    public void backward(Tensor gradient) {
        Engine.backward(this, gradient, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        Engine.backward(this, gradient, retainGraph);
    }

    /** The same values, cut from the graph (shares storage). */
    public Tensor detach() {
        return new Tensor(shared(), offset, shape, strides);
    }

    // ------------------------------------------------------------------ views

    /** Same elements in a new shape; one size may be -1. Shares storage when the strides allow it, copies otherwise. */
    public Tensor reshape(int... newShape) {
        return TensorOps.reshape(this, newShape, "reshape", true);
    }

    /** Like {@link #reshape} but never copies: fails when the strides do not allow the new shape (as PyTorch's view). */
    public Tensor view(int... newShape) {
        return TensorOps.reshape(this, newShape, "view", false);
    }

    /** Flattens all dimensions into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Flattens dimensions {@code startDim … endDim} (inclusive) into one. */
    public Tensor flatten(int startDim, int endDim) {
        return TensorOps.flatten(this, startDim, endDim);
    }

    public Tensor permute(int... dims) {
        return TensorOps.permute(this, dims);
    }

    public Tensor transpose(int dim0, int dim1) {
        int r = shape.length;
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        int a = Shape.dim("transpose", dim0, shape), b = Shape.dim("transpose", dim1, shape);
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Transpose of a matrix (rank ≤ 2). */
    public Tensor t() {
        if (shape.length > 2) throw new IllegalArgumentException("t() expects a tensor of rank <= 2 but the shape is " + Shape.str(shape) + "; use transpose()");
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Swaps the last two dimensions. */
    public Tensor mT() {
        if (shape.length < 2) throw new IllegalArgumentException("mT() expects rank >= 2 but the shape is " + Shape.str(shape));
        return transpose(-2, -1);
    }

    /** Removes all dimensions of size 1. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape).filter(s -> s != 1).toArray());
    }

    /** Removes {@code dim} if its size is 1 (otherwise returns the same shape, as PyTorch does). */
    public Tensor squeeze(int dim) {
        int d = Shape.dim("squeeze", dim, shape);
        if (shape.length == 0 || shape[d] != 1) return this;
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) s[j++] = shape[i];
        return reshape(s);
    }

    /** Inserts a dimension of size 1 at {@code dim} (which may be -1 for the end). */
    public Tensor unsqueeze(int dim) {
        int d = Shape.dim("unsqueeze", dim, shape.length + 1, shape);
        int[] s = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == d ? 1 : shape[j++];
        return reshape(s);
    }

    /** {@code length} entries of {@code dim} starting at {@code start}; a view. */
    public Tensor narrow(int dim, int start, int length) {
        return TensorOps.narrow(this, dim, start, length);
    }

    /** Python's {@code x[..., start:end:step, ...]} on one dimension; negative bounds count from the end. */
    public Tensor slice(int dim, int start, int end, int step) {
        return TensorOps.slice(this, dim, start, end, step);
    }

    /** The sub-tensor at {@code index} of {@code dim}, with that dimension removed. */
    public Tensor select(int dim, int index) {
        if (shape.length == 0) throw new IllegalArgumentException("select: cannot select from a zero-dimensional tensor");
        int d = Shape.dim("select", dim, shape);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + d + " of size " + shape[d]
                    + " (shape " + Shape.str(shape) + ")");
        }
        return narrow(d, i, 1).squeeze(d);
    }

    /** Broadcasts to a larger shape without copying; -1 keeps a size. */
    public Tensor expand(int... sizes) {
        return TensorOps.expand(this, sizes);
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.shape);
    }

    /** This tensor if contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : TensorOps.copy(this);
    }

    // ------------------------------------------------------------------ element-wise

    public Tensor add(Tensor o) { return TensorOps.binary(BinaryFn.ADD, this, o); }
    public Tensor add(float v) { return add(scalar(v)); }
    public Tensor sub(Tensor o) { return TensorOps.binary(BinaryFn.SUB, this, o); }
    public Tensor sub(float v) { return sub(scalar(v)); }
    /** {@code v - this}. */
    public Tensor rsub(float v) { return scalar(v).sub(this); }
    public Tensor mul(Tensor o) { return TensorOps.binary(BinaryFn.MUL, this, o); }
    public Tensor mul(float v) { return mul(scalar(v)); }
    public Tensor div(Tensor o) { return TensorOps.binary(BinaryFn.DIV, this, o); }
    public Tensor div(float v) { return div(scalar(v)); }
    public Tensor pow(Tensor exponent) { return TensorOps.binary(BinaryFn.POW, this, exponent); }
    public Tensor pow(float exponent) { return pow(scalar(exponent)); }
    public Tensor maximum(Tensor o) { return TensorOps.binary(BinaryFn.MAXIMUM, this, o); }
    public Tensor minimum(Tensor o) { return TensorOps.binary(BinaryFn.MINIMUM, this, o); }

    public Tensor eq(Tensor o) { return TensorOps.binary(BinaryFn.EQ, this, o); }
    public Tensor eq(float v) { return eq(scalar(v)); }
    public Tensor ne(Tensor o) { return TensorOps.binary(BinaryFn.NE, this, o); }
    public Tensor ne(float v) { return ne(scalar(v)); }
    public Tensor lt(Tensor o) { return TensorOps.binary(BinaryFn.LT, this, o); }
    public Tensor lt(float v) { return lt(scalar(v)); }
    public Tensor le(Tensor o) { return TensorOps.binary(BinaryFn.LE, this, o); }
    public Tensor le(float v) { return le(scalar(v)); }
    public Tensor gt(Tensor o) { return TensorOps.binary(BinaryFn.GT, this, o); }
    public Tensor gt(float v) { return gt(scalar(v)); }
    public Tensor ge(Tensor o) { return TensorOps.binary(BinaryFn.GE, this, o); }
    public Tensor ge(float v) { return ge(scalar(v)); }

    public Tensor neg() { return TensorOps.unary(UnaryFn.NEG, this); }
    public Tensor abs() { return TensorOps.unary(UnaryFn.ABS, this); }
    public Tensor sign() { return TensorOps.unary(UnaryFn.SIGN, this); }
    public Tensor exp() { return TensorOps.unary(UnaryFn.EXP, this); }
    public Tensor log() { return TensorOps.unary(UnaryFn.LOG, this); }
    public Tensor sqrt() { return TensorOps.unary(UnaryFn.SQRT, this); }
    public Tensor rsqrt() { return TensorOps.unary(UnaryFn.RSQRT, this); }
    public Tensor reciprocal() { return TensorOps.unary(UnaryFn.RECIPROCAL, this); }
    public Tensor sin() { return TensorOps.unary(UnaryFn.SIN, this); }
    public Tensor cos() { return TensorOps.unary(UnaryFn.COS, this); }
    public Tensor tanh() { return TensorOps.unary(UnaryFn.TANH, this); }
    public Tensor sigmoid() { return TensorOps.unary(UnaryFn.SIGMOID, this); }
    public Tensor relu() { return TensorOps.unary(UnaryFn.RELU, this); }
    public Tensor erf() { return TensorOps.unary(UnaryFn.ERF, this); }
    /** Exact GELU, {@code x Φ(x)} (PyTorch's default {@code approximate='none'}). */
    public Tensor gelu() { return TensorOps.unary(UnaryFn.GELU, this); }

    /** GELU's tanh approximation, {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    public Tensor geluTanh() {
        float k = (float) Math.sqrt(2.0 / Math.PI);
        return mul(0.5f).mul(add(pow(3f).mul(0.044715f)).mul(k).tanh().add(1f));
    }

    /** {@code x} where positive, {@code slope·x} elsewhere. */
    public Tensor leakyRelu(float slope) {
        return where(gt(0f), this, mul(slope));
    }

    /** {@code x} where positive, {@code α(eˣ − 1)} elsewhere. */
    public Tensor elu(float alpha) {
        return where(gt(0f), this, minimum(scalar(0f)).exp().sub(1f).mul(alpha));
    }

    /** SiLU (swish), {@code x σ(x)}. */
    public Tensor silu() {
        return mul(sigmoid());
    }

    /** Limits values to [min, max]; the gradient is 1 inside the range, as in PyTorch. */
    public Tensor clamp(float min, float max) {
        if (min > max) throw new IllegalArgumentException("clamp: min (" + min + ") is greater than max (" + max + ")");
        Tensor inside = ge(min).mul(le(max));
        Tensor clipped = detach().maximum(scalar(min)).minimum(scalar(max));
        return where(inside, this, clipped);
    }

    /** {@code cond != 0 ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return TensorOps.where(cond, a, b);
    }

    // ------------------------------------------------------------------ reductions

    public Tensor sum() { return sum(allDims(), false); }
    public Tensor sum(int dim) { return sum(new int[] {dim}, false); }
    public Tensor sum(int dim, boolean keepdim) { return sum(new int[] {dim}, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return TensorOps.sum(this, dims, keepdim); }

    public Tensor mean() { return mean(allDims(), false); }
    public Tensor mean(int dim) { return mean(new int[] {dim}, false); }
    public Tensor mean(int dim, boolean keepdim) { return mean(new int[] {dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) {
        int n = TensorOps.count("mean", this, dims);
        return sum(dims, keepdim).div(n);
    }

    public Tensor max() { return max(allDims(), false); }
    public Tensor max(int dim) { return max(new int[] {dim}, false); }
    public Tensor max(int dim, boolean keepdim) { return max(new int[] {dim}, keepdim); }
    public Tensor max(int[] dims, boolean keepdim) { return TensorOps.max(this, dims, keepdim); }

    public Tensor min() { return min(allDims(), false); }
    public Tensor min(int dim) { return min(new int[] {dim}, false); }
    public Tensor min(int dim, boolean keepdim) { return min(new int[] {dim}, keepdim); }
    public Tensor min(int[] dims, boolean keepdim) {
        Shape.dims("min", dims, shape);
        return neg().max(dims, keepdim).neg();
    }

    /** Index of the (first) maximum of the flattened tensor. */
    public Tensor argmax() { return TensorOps.argmax(flatten(), 0, false, false); }
    public Tensor argmax(int dim, boolean keepdim) { return TensorOps.argmax(this, dim, keepdim, false); }
    public Tensor argmin() { return TensorOps.argmax(flatten(), 0, false, true); }
    public Tensor argmin(int dim, boolean keepdim) { return TensorOps.argmax(this, dim, keepdim, true); }

    /** Unbiased variance (Bessel's correction), as {@code torch.var}'s default. */
    public Tensor var() { return var(allDims(), true, false); }
    public Tensor var(int dim, boolean keepdim) { return var(new int[] {dim}, true, keepdim); }

    /** Variance over {@code dims}, dividing by {@code n - 1} when {@code unbiased}, else by {@code n}. */
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
        int n = TensorOps.count("var", this, dims);
        Tensor centred = sub(mean(dims, true));
        return centred.mul(centred).sum(dims, keepdim).div(Math.max(unbiased ? n - 1 : n, 0));
    }

    public Tensor std() { return var().sqrt(); }
    public Tensor std(int dim, boolean keepdim) { return std(new int[] {dim}, true, keepdim); }

    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
        Shape.dims("std", dims, shape);
        return var(dims, unbiased, keepdim).sqrt();
    }

    /** {@code log Σ exp(x)} along {@code dim}, computed stably. */
    public Tensor logSumExp(int dim, boolean keepdim) {
        Shape.dim("logSumExp", dim, shape);
        Tensor m = max(dim, true).detach();
        m = where(m.abs().eq(Float.POSITIVE_INFINITY), zerosLike(m), m);
        Tensor r = sub(m).exp().sum(dim, true).log().add(m);
        return keepdim ? r : r.squeeze(dim);
    }

    public Tensor softmax(int dim) { return TensorOps.softmax(this, dim, false); }
    public Tensor logSoftmax(int dim) { return TensorOps.softmax(this, dim, true); }

    /** Sums over broadcast dimensions so that a gradient of this (broadcast) shape matches {@code target}. */
    public Tensor sumTo(int[] target) {
        return TensorOps.sumTo(this, target);
    }

    private int[] allDims() {
        int[] d = new int[shape.length];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return d;
    }

    // ------------------------------------------------------------------ linear algebra, joining, indexing

    /**
     * Matrix product with {@code torch.matmul}'s rules: 1-D·1-D is a dot product, a 1-D operand gets a
     * dimension added and removed, and leading (batch) dimensions broadcast.
     */
    public Tensor matmul(Tensor other) {
        return TensorOps.matmul(this, other);
    }

    /**
     * The linear layer {@code x Wᵀ + b} as one fused op (one GEMM starting from the bias, and a backward that
     * writes {@code dW} in W's own layout); same values as {@code matmul(weight.t()).add(bias)} within float rounding.
     * {@code nn.functional.Functional.linear} folds inputs of other ranks into this one.
     *
     * <p><b>Shapes:</b> this is {@code [M, K]}, {@code weight} {@code [N, K]}, {@code bias} {@code [N]} or null;
     * the result is {@code [M, N]}.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        return linear(weight, bias, false);
    }

    /**
     * {@link #linear(Tensor, Tensor)}, then its ReLU when {@code relu}, as one op: the same values and gradients as
     * {@code linear(weight, bias).relu()}, without a second output buffer or the ReLU's node in the graph.
     */
    public Tensor linear(Tensor weight, Tensor bias, boolean relu) {
        return TensorOps.linear(this, weight, null, bias, relu);
    }

    /** Concatenates along an existing dimension. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return TensorOps.cat(tensors, dim);
    }

    public static Tensor cat(int dim, Tensor... tensors) {
        return cat(List.of(tensors), dim);
    }

    /** Joins along a new dimension. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expects at least one tensor");
        int d = Shape.dim("stack", dim, tensors.getFirst().dim() + 1, tensors.getFirst().shape);
        List<Tensor> expanded = new ArrayList<>();
        for (Tensor t : tensors) {
            if (!Arrays.equals(t.shape, tensors.getFirst().shape)) {
                throw new IllegalArgumentException("stack: all tensors need the same shape, but got " + Shape.str(tensors.getFirst().shape) + " and " + Shape.str(t.shape));
            }
            expanded.add(t.unsqueeze(d));
        }
        return cat(expanded, d);
    }

    /** Pieces of {@code splitSize} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int splitSize, int dim) {
        if (splitSize <= 0) throw new IllegalArgumentException("split: size must be positive but was " + splitSize + " (shape " + Shape.str(shape) + ")");
        int d = Shape.dim("split", dim, shape);
        List<Tensor> parts = new ArrayList<>();
        for (int start = 0; start < shape[d]; start += splitSize) parts.add(narrow(d, start, Math.min(splitSize, shape[d] - start)));
        return parts;
    }

    /** {@code chunks} nearly equal pieces along {@code dim}, as {@code torch.chunk}. */
    public List<Tensor> chunk(int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: number of chunks must be positive but was " + chunks + " (shape " + Shape.str(shape) + ")");
        int d = Shape.dim("chunk", dim, shape);
        return split(Math.max(1, (shape[d] + chunks - 1) / chunks), d);
    }

    /** {@code out[…, j, …] = x[…, index[…, j, …], …]} along {@code dim} ({@code torch.gather}). */
    public Tensor gather(int dim, Tensor index) {
        return TensorOps.gather(this, dim, index);
    }

    /** Entries {@code index} (1-D) of {@code dim}. */
    public Tensor indexSelect(int dim, Tensor index) {
        return TensorOps.indexSelect(this, dim, index);
    }

    /** A copy of this tensor with {@code src} added at {@code index} along {@code dim} ({@code torch.scatter_add}). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return TensorOps.scatterAdd(this, dim, index, src);
    }

    /** A copy of this tensor with the slices of {@code src} added at the entries {@code index} (1-D) of {@code dim}. */
    public Tensor indexAdd(int dim, Tensor index, Tensor src) {
        return TensorOps.indexAdd(this, dim, index, src);
    }

    // ------------------------------------------------------------------ printing

    /** PyTorch-style: {@code tensor([[1.0000, 2.0000], …], requires_grad=True)}. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
