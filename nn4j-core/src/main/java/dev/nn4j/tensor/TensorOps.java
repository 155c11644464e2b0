package dev.nn4j.tensor;

import dev.nn4j.autograd.Op;
import dev.nn4j.backend.Backend;
import dev.nn4j.backend.BinaryFn;
import dev.nn4j.backend.Kernels;
import dev.nn4j.backend.UnaryFn;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Forward implementations of the primitive ops behind {@link Tensor}: shape checking, choosing the kernel
 * layout ({@code [outer, R, inner]} for reductions), calling the kernel and recording the {@link Op}.
 * Every shape error names the op and the shapes involved.
 */
final class TensorOps {
    private TensorOps() {}

    static Kernels kernels() {
        return Backend.kernels();
    }

    static Tensor copy(Tensor x) {
        float[] out = new float[x.numel()];
        kernels().copy(x.data, x.offset, x.shape, x.strides, out);
        return Tensor.result(out, x.shape.clone(), new Op.Contiguous(x));
    }

    // ------------------------------------------------------------------ views

    static Tensor reshape(Tensor x, int[] newShape, String op, boolean mayCopy) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1 in " + Arrays.toString(newShape)
                            + " (tensor of shape " + Shape.str(x.shape) + ")");
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + s[i] + " in " + Arrays.toString(newShape)
                        + " (tensor of shape " + Shape.str(x.shape) + ")");
            } else {
                known *= s[i];
            }
        }
        int n = x.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(newShape) + " is invalid for a tensor of shape " + Shape.str(x.shape) + " (" + n + " elements)");
            }
            s[infer] = (int) (n / known);
        }
        if (Shape.numel(s) != n) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(newShape) + " is invalid for a tensor of shape " + Shape.str(x.shape) + " (" + n + " elements)");
        }
        int[] st = viewStrides(x.shape, x.strides, s);
        if (st != null) return Tensor.view(x.shared(), x.offset, s, st, new Op.Reshape(x));
        if (!mayCopy) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(newShape) + " is not compatible with the strides "
                    + Arrays.toString(x.strides) + " of a tensor of shape " + Shape.str(x.shape)
                    + " (it is not contiguous); use reshape() or contiguous() first");
        }
        Tensor src = copy(x);
        return Tensor.view(src.shared(), src.offset, s, Shape.contiguousStrides(s), new Op.Reshape(src));
    }

    /**
     * Strides under which a tensor of {@code shape}/{@code strides} can be read as {@code newShape} without copying,
     * or null when its memory layout does not allow it (PyTorch's {@code computeStride}): the old dims are cut into
     * chunks that are contiguous among themselves, and each chunk must map onto whole new dims.
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int[] out = new int[newShape.length];
        if (shape.length == 0 || Shape.numel(shape) == 0) return Shape.contiguousStrides(newShape);
        int viewD = newShape.length - 1;
        long chunkBase = strides[shape.length - 1], tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            // a chunk ends at d when the dim before it does not continue it in memory
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? out : null;
    }

    static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.dim() == 0) return x.reshape(1);
        int a = Shape.dim("flatten", startDim, x.shape), b = Shape.dim("flatten", endDim, x.shape);
        if (a > b) {
            throw new IllegalArgumentException("flatten: start dimension " + startDim + " comes after end dimension " + endDim
                    + " (shape " + Shape.str(x.shape) + ")");
        }
        int[] s = new int[x.dim() - (b - a)];
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (i <= a || i > b) s[j++] = x.shape[i];
            else s[j - 1] *= x.shape[i];
        }
        return x.reshape(s);
    }

    static Tensor permute(Tensor x, int[] dims) {
        int r = x.dim();
        if (dims.length != r) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " has " + dims.length + " dimensions but the tensor of shape " + Shape.str(x.shape) + " has " + r);
        }
        int[] perm = new int[r];
        boolean[] used = new boolean[r];
        int[] s = new int[r], st = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = Shape.dim("permute", dims[i], x.shape);
            if (used[perm[i]]) {
                throw new IllegalArgumentException("permute: repeated dimension in " + Arrays.toString(dims) + " for a tensor of shape " + Shape.str(x.shape));
            }
            used[perm[i]] = true;
            s[i] = x.shape[perm[i]];
            st[i] = x.strides[perm[i]];
        }
        return Tensor.view(x.shared(), x.offset, s, st, new Op.Permute(x, perm));
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Shape.dim("narrow", dim, x.shape);
        if (start < 0 || length < 0 || start + length > x.shape[d]) {
            throw new IllegalArgumentException("narrow: start " + start + " and length " + length + " are out of range for dimension " + d
                    + " of size " + x.shape[d] + " (shape " + Shape.str(x.shape) + ")");
        }
        int[] s = x.shape.clone();
        s[d] = length;
        return Tensor.view(x.shared(), x.offset + start * x.strides[d], s, x.strides.clone(), new Op.Narrow(x, d, start));
    }

    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shape.dim("slice", dim, x.shape);
        int n = x.shape[d];
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive but was " + step + " (shape " + Shape.str(x.shape) + ")");
        int a = Math.clamp(start < 0 ? start + n : start, 0, n);
        int b = Math.clamp(end < 0 ? end + n : end, 0, n);
        if (b < a) b = a;
        if (step == 1) return narrow(x, d, a, b - a);
        return x.indexSelect(d, Tensor.arange(a, b, step));
    }

    static Tensor expand(Tensor x, int[] sizes) {
        int r = sizes.length;
        if (r < x.dim()) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(x.shape) + " to fewer dimensions " + Arrays.toString(sizes));
        }
        int shift = r - x.dim();
        int[] s = new int[r], st = new int[r];
        for (int i = 0; i < r; i++) {
            int own = i < shift ? 1 : x.shape[i - shift];
            int want = sizes[i] == -1 && i >= shift ? own : sizes[i];
            if (want < 0 || (own != 1 && own != want)) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(x.shape) + " to " + Arrays.toString(sizes)
                        + " (dimension " + i + ": " + own + " vs " + sizes[i] + ")");
            }
            s[i] = want;
            st[i] = i < shift || (own == 1 && want != 1) ? 0 : x.strides[i - shift];
        }
        if (Arrays.equals(s, x.shape)) return x;
        return Tensor.view(x.shared(), x.offset, s, st, new Op.Expand(x));
    }

    // ------------------------------------------------------------------ element-wise

    static Tensor unary(UnaryFn fn, Tensor x) {
        float[] src = x.dense();
        float[] out = Buffers.take(src.length);  // the kernel overwrites every element
        kernels().unary(fn, src, out, out.length);
        return Tensor.result(out, x.shape.clone(), fn == UnaryFn.SIGN ? null : new Op.Unary(fn, x));
    }

    static Tensor binary(BinaryFn fn, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(fn.name().toLowerCase(), a.shape, b.shape);
        float[] out = Buffers.take(Shape.numel(shape));  // the kernel overwrites every element
        kernels().binary(fn, a.data, a.offset, Shape.broadcastStrides(a.shape, a.strides, shape),
                b.data, b.offset, Shape.broadcastStrides(b.shape, b.strides, shape), out, shape);
        return Tensor.result(out, shape, fn.isComparison() ? null : new Op.Binary(fn, a, b));
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape, a.shape), b.shape);
        float[] out = new float[Shape.numel(shape)];
        kernels().where(cond.data, cond.offset, Shape.broadcastStrides(cond.shape, cond.strides, shape),
                a.data, a.offset, Shape.broadcastStrides(a.shape, a.strides, shape),
                b.data, b.offset, Shape.broadcastStrides(b.shape, b.strides, shape), out, shape);
        return Tensor.result(out, shape, new Op.Where(cond, a, b));
    }

    // ------------------------------------------------------------------ reductions

    /** Number of elements reduced over {@code dims}. */
    static int count(String op, Tensor x, int[] dims) {
        int n = 1;
        for (int d : Shape.dims(op, dims, x.shape)) n *= x.dim() == 0 ? 1 : x.shape[d];
        return n;
    }

    /** The input laid out as {@code [outer, R, 1]} with the reduced dims last, and the output shape. */
    private record Reduction(float[] data, int outer, int R, int inner, int[] outShape, int[] dims) {}

    private static Reduction reduction(String op, Tensor x, int[] dimsIn, boolean keepdim) {
        int r = x.dim();
        if (r == 0) {
            for (int d : dimsIn) Shape.dim(op, d, x.shape);
            return new Reduction(x.dense(), 1, 1, 1, new int[0], new int[0]);
        }
        int[] dims = Shape.dims(op, dimsIn, x.shape);
        boolean[] reduced = new boolean[r];
        for (int d : dims) reduced[d] = true;
        int[] outShape = keepdim ? x.shape.clone() : new int[r - dims.length];
        for (int i = 0, j = 0; i < r; i++) {
            if (reduced[i]) {
                if (keepdim) outShape[i] = 1;
            } else if (!keepdim) {
                outShape[j++] = x.shape[i];
            }
        }
        if (dims.length == 0) return new Reduction(x.dense(), x.numel(), 1, 1, outShape, dims); // nothing reduced, as NumPy's axis=()
        int first = dims[0], last = dims[dims.length - 1];
        if (last - first + 1 == dims.length) {
            // reduced dims are adjacent: read in place as [outer, R, inner]
            int outer = 1, R = 1, inner = 1;
            for (int i = 0; i < first; i++) outer *= x.shape[i];
            for (int i = first; i <= last; i++) R *= x.shape[i];
            for (int i = last + 1; i < r; i++) inner *= x.shape[i];
            return new Reduction(x.dense(), outer, R, inner, outShape, dims);
        }
        int[] perm = new int[r];
        int k = 0;
        for (int i = 0; i < r; i++) if (!reduced[i]) perm[k++] = i;
        for (int d : dims) perm[k++] = d;
        Tensor moved;
        try (var _ = dev.nn4j.autograd.NoGrad.enter()) {
            moved = x.permute(perm).contiguous();
        }
        int R = count(op, x, dims);
        return new Reduction(moved.dense(), x.numel() / Math.max(R, 1), R, 1, outShape, dims);
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        Reduction red = reduction("sum", x, dims, keepdim);
        float[] out = new float[red.outer * red.inner];
        kernels().sum(red.data, red.outer, red.R, red.inner, out);
        return Tensor.result(out, red.outShape, new Op.Sum(x, red.dims, keepdim));
    }

    static Tensor max(Tensor x, int[] dims, boolean keepdim) {
        Reduction red = reduction("max", x, dims, keepdim);
        if (red.R == 0) throw new IllegalArgumentException("max: cannot reduce over an empty dimension (shape " + Shape.str(x.shape) + ")");
        float[] out = new float[red.outer * red.inner];
        kernels().max(red.data, red.outer, red.R, red.inner, out, null);
        return Tensor.result(out, red.outShape, new Op.Max(x, red.dims, keepdim));
    }

    static Tensor argmax(Tensor x, int dim, boolean keepdim, boolean min) {
        Tensor src = min ? x.detach().neg() : x.detach();
        Reduction red = reduction(min ? "argmin" : "argmax", src, new int[] {dim}, keepdim);
        if (red.R == 0) throw new IllegalArgumentException((min ? "argmin" : "argmax") + ": empty dimension in shape " + Shape.str(x.shape));
        float[] values = new float[red.outer * red.inner], idx = new float[values.length];
        kernels().max(red.data, red.outer, red.R, red.inner, values, idx);
        return Tensor.wrap(idx, red.outShape);
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        int d = Shape.dim(log ? "logSoftmax" : "softmax", dim, x.shape);
        if (x.dim() == 0) return softmax(x.reshape(1), 0, log).reshape(); // keeps the graph: the gradient is 0, not missing
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= x.shape[i];
        for (int i = d + 1; i < x.dim(); i++) inner *= x.shape[i];
        float[] out = new float[x.numel()];
        kernels().softmax(x.dense(), outer, x.shape[d], inner, out, log);
        return Tensor.result(out, x.shape.clone(), new Op.Softmax(x, d, log));
    }

    static Tensor sumTo(Tensor g, int[] target) {
        if (Arrays.equals(g.shape, target)) return g;
        int shift = g.dim() - target.length;
        if (shift < 0) throw new IllegalArgumentException("sumTo: cannot reduce shape " + Shape.str(g.shape) + " to the larger " + Shape.str(target));
        int[] dims = new int[g.dim()];
        int k = 0;
        for (int i = 0; i < g.dim(); i++) {
            if (i < shift || (target[i - shift] == 1 && g.shape[i] != 1)) dims[k++] = i;
            else if (target[i - shift] != g.shape[i]) {
                throw new IllegalArgumentException("sumTo: shape " + Shape.str(g.shape) + " does not broadcast to " + Shape.str(target));
            }
        }
        Tensor s = g.sum(Arrays.copyOf(dims, k), true);
        return s.reshape(target);
    }

    // ------------------------------------------------------------------ matmul

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least one dimension, but got shapes " + Shape.str(a.shape) + " and " + Shape.str(b.shape));
        }
        int K = a.shape[a.dim() - 1], rowsB = b.dim() == 1 ? b.shape[0] : b.shape[b.dim() - 2];
        if (rowsB != K) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.str(a.shape) + " and " + Shape.str(b.shape)
                    + " cannot be multiplied (" + K + " columns vs " + rowsB + " rows)");
        }
        int[] batchA = Arrays.copyOf(a.shape, Math.max(a.dim() - 2, 0)), batchB = Arrays.copyOf(b.shape, Math.max(b.dim() - 2, 0));
        try {
            Shape.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch dimensions " + Shape.str(batchA) + " and " + Shape.str(batchB) + " of shapes "
                    + Shape.str(a.shape) + " and " + Shape.str(b.shape) + " cannot be broadcast together", e);
        }
        if (a.dim() == 1 && b.dim() == 1) return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
        if (b.dim() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
        int M = a.shape[a.dim() - 2], N = b.shape[b.dim() - 1];
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = M;
        outShape[batch.length + 1] = N;
        float[] out = Buffers.take(Shape.numel(outShape));  // the kernel overwrites C
        Operand pa = Operand.of(a, batch), pb = Operand.of(b, batch);
        int batches = Shape.numel(batch);
        int[] idx = new int[batch.length];
        for (int bi = 0; bi < batches; bi++) {
            int ao = pa.offset, bo = pb.offset;
            for (int d = 0; d < batch.length; d++) {
                ao += idx[d] * pa.batchStrides[d];
                bo += idx[d] * pb.batchStrides[d];
            }
            kernels().matmul(pa.data, ao, pa.trans, pb.data, bo, pb.trans, out, bi * M * N, M, N, K);
            for (int d = batch.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) idx[d] = 0;
        }
        return Tensor.result(out, outShape, new Op.MatMul(a, b));
    }

    /**
     * {@code c += op(a) · b} when {@code accumulate}, else {@code c = op(a) · b}, for 2-D {@code a} and {@code b},
     * {@code op(a) = aᵀ} when {@code transposeA} (read in place: a row-major a is a column-major aᵀ), {@code c} a dense
     * {@code [M, N]} array (shapes checked by the caller).
     */
    static void matmulInto(Tensor a, boolean transposeA, Tensor b, float[] c, boolean accumulate) {
        int M = a.shape[transposeA ? 1 : 0], K = a.shape[transposeA ? 0 : 1], N = b.shape[1];
        int[] none = new int[0];
        Operand pa = Operand.of(a, none), pb = Operand.of(b, none);
        if (accumulate) kernels().matmulAdd(pa.data, pa.offset, pa.trans != transposeA, pb.data, pb.offset, pb.trans, c, 0, M, N, K);
        else kernels().matmul(pa.data, pa.offset, pa.trans != transposeA, pb.data, pb.offset, pb.trans, c, 0, M, N, K);
    }

    /**
     * {@code x · weightᵀ + bias}, then ReLU when {@code relu}. {@code alignedWeight}, when not null, holds weight's
     * values on a 64-byte boundary ({@link InferenceWeight}; weight is then dense) for {@link Kernels#linearAligned}.
     */
    static Tensor linear(Tensor x, Tensor weight, MemorySegment alignedWeight, Tensor bias, boolean relu) {
        if (x.shape.length != 2 || weight.shape.length != 2 || weight.shape[1] != x.shape[1]) {
            throw new IllegalArgumentException("linear: input " + Shape.str(x.shape) + " and weight " + Shape.str(weight.shape)
                    + " do not fit: expected input [M, K] and weight [N, K]");
        }
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != weight.shape[0])) {
            throw new IllegalArgumentException("linear: bias must have shape [" + weight.shape[0] + "] but has shape " + Shape.str(bias.shape));
        }
        int M = x.shape[0], K = x.shape[1], N = weight.shape[0];
        float[] out = Buffers.take(M * N);  // the kernel overwrites C
        int[] none = new int[0];
        Operand px = Operand.of(x, none);
        float[] b = bias == null ? null : bias.dense();
        if (alignedWeight != null && !px.trans) {
            kernels().linearAligned(px.data, px.offset, weight.data, alignedWeight, b, out, 0, M, N, K);
        } else {
            // W is [N, K], so op(B) = Wᵀ reads it with the opposite layout flag
            Operand pw = Operand.of(weight, none);
            kernels().linear(px.data, px.offset, px.trans, pw.data, pw.offset, !pw.trans, b, out, 0, M, N, K);
        }
        // in place, while the product is still in cache: no second buffer, and the same bits as relu() on the output
        if (relu) kernels().unary(UnaryFn.RELU, out, out, M * N);
        return Tensor.result(out, new int[] {M, N}, new Op.Linear(x, weight, bias, relu));
    }

    /** A matrix operand read in place when its last two dims are row- or column-major, else copied once. */
    private record Operand(float[] data, int offset, boolean trans, int[] batchStrides) {
        static Operand of(Tensor t, int[] batch) {
            int r = t.dim();
            int rows = t.shape[r - 2], cols = t.shape[r - 1];
            int sr = t.strides[r - 2], sc = t.strides[r - 1];
            boolean rowMajor = (sc == 1 || cols == 1) && (sr == cols || rows == 1);
            boolean colMajor = !rowMajor && (sr == 1 || rows == 1) && (sc == rows || cols == 1);
            if (!rowMajor && !colMajor) {
                Tensor c;
                try (var _ = dev.nn4j.autograd.NoGrad.enter()) {
                    c = t.contiguous();
                }
                return of(c, batch);
            }
            int[] full = Arrays.copyOf(batch, batch.length + 2);
            full[batch.length] = rows;
            full[batch.length + 1] = cols;
            int[] st = Shape.broadcastStrides(t.shape, t.strides, full);
            return new Operand(t.data, t.offset, colMajor, Arrays.copyOf(st, batch.length));
        }
    }

    // ------------------------------------------------------------------ joining and indexing

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expects at least one tensor");
        Tensor first = tensors.getFirst();
        if (first.dim() == 0) throw new IllegalArgumentException("cat: zero-dimensional tensors cannot be concatenated; use stack");
        int d = Shape.dim("cat", dim, first.shape);
        int[] outShape = first.shape.clone();
        outShape[d] = 0;
        for (Tensor t : tensors) {
            boolean ok = t.dim() == first.dim();
            for (int i = 0; ok && i < t.dim(); i++) ok = i == d || t.shape[i] == first.shape[i];
            if (!ok) {
                throw new IllegalArgumentException("cat: shapes " + Shape.str(first.shape) + " and " + Shape.str(t.shape)
                        + " differ outside dimension " + d);
            }
            outShape[d] += t.shape[d];
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= outShape[i];
        for (int i = d + 1; i < outShape.length; i++) inner *= outShape[i];
        float[] out = new float[Shape.numel(outShape)];
        int rowOut = outShape[d] * inner, at = 0;
        for (Tensor t : tensors) {
            float[] src = t.dense();
            int row = t.shape[d] * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(src, o * row, out, o * rowOut + at, row);
            at += row;
        }
        return Tensor.result(out, outShape, new Op.Concat(tensors.toArray(Tensor[]::new), d));
    }

    /** Checks that an index tensor holds whole numbers in {@code [0, size)} (negative ones count from the end). */
    private static float[] indices(String op, Tensor index, int size, Tensor x, int dim) {
        float[] idx = index.toFloatArray();
        for (int i = 0; i < idx.length; i++) {
            float v = idx[i];
            if (v < 0) v += size;
            if (v != Math.rint(v) || v < 0 || v >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + idx[i] + " is out of range for dimension " + dim
                        + " of size " + size + " (shape " + Shape.str(x.shape) + ")");
            }
            idx[i] = v;
        }
        return idx;
    }

    private static int outer(int[] shape, int d) {
        int n = 1;
        for (int i = 0; i < d; i++) n *= shape[i];
        return n;
    }

    private static int inner(int[] shape, int d) {
        int n = 1;
        for (int i = d + 1; i < shape.length; i++) n *= shape[i];
        return n;
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int d = Shape.dim("indexSelect", dim, x.shape);
        if (index.dim() > 1) {
            throw new IllegalArgumentException("indexSelect: index must be 1-D but has shape " + Shape.str(index.shape)
                    + " (tensor of shape " + Shape.str(x.shape) + ")");
        }
        float[] idx = indices("indexSelect", index, x.shape[d], x, d);
        int[] outShape = x.shape.clone();
        outShape[d] = idx.length;
        float[] out = new float[Shape.numel(outShape)];
        kernels().indexSelect(x.dense(), outer(x.shape, d), x.shape[d], inner(x.shape, d), idx, idx.length, out);
        return Tensor.result(out, outShape, new Op.IndexSelect(x, d, index));
    }

    static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src) {
        int d = Shape.dim("indexAdd", dim, x.shape);
        if (index.dim() > 1) {
            throw new IllegalArgumentException("indexAdd: index must be 1-D but has shape " + Shape.str(index.shape)
                    + " (tensor of shape " + Shape.str(x.shape) + ")");
        }
        float[] idx = indices("indexAdd", index, x.shape[d], x, d);
        int[] want = x.shape.clone();
        want[d] = idx.length;
        if (!Arrays.equals(src.shape, want)) {
            throw new IllegalArgumentException("indexAdd: source shape " + Shape.str(src.shape) + " does not match " + Shape.str(want)
                    + " (tensor " + Shape.str(x.shape) + " with " + idx.length + " indices on dimension " + d + ")");
        }
        float[] out = x.toFloatArray();
        kernels().indexAdd(src.dense(), outer(x.shape, d), idx.length, inner(x.shape, d), idx, out, x.shape[d]);
        return Tensor.result(out, x.shape.clone(), new Op.IndexAdd(x, d, index, src));
    }

    private static void checkGatherShapes(String op, Tensor x, int d, Tensor index, Tensor src) {
        boolean ok = index.dim() == x.dim();
        for (int i = 0; ok && i < x.dim(); i++) ok = i == d || index.shape[i] == x.shape[i];
        if (src != null) ok &= Arrays.equals(src.shape, index.shape);
        if (!ok) {
            throw new IllegalArgumentException(op + ": index shape " + Shape.str(index.shape) + " must match tensor shape " + Shape.str(x.shape)
                    + " outside dimension " + d + (src != null ? " and source shape " + Shape.str(src.shape) : ""));
        }
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Shape.dim("gather", dim, x.shape);
        checkGatherShapes("gather", x, d, index, null);
        float[] idx = indices("gather", index, x.shape[d], x, d);
        float[] out = new float[idx.length];
        kernels().gather(x.dense(), outer(x.shape, d), x.shape[d], inner(x.shape, d), idx, index.shape[d], out);
        return Tensor.result(out, index.shape.clone(), new Op.Gather(x, d, index));
    }

    static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        int d = Shape.dim("scatterAdd", dim, x.shape);
        checkGatherShapes("scatterAdd", x, d, index, src);
        float[] idx = indices("scatterAdd", index, x.shape[d], x, d);
        float[] out = x.toFloatArray();
        kernels().scatterAdd(src.dense(), outer(x.shape, d), index.shape[d], inner(x.shape, d), idx, out, x.shape[d]);
        return Tensor.result(out, x.shape.clone(), new Op.ScatterAdd(x, d, index, src));
    }
}
