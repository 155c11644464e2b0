package dev.nn4j.autograd;

import dev.nn4j.backend.BinaryFn;
import dev.nn4j.backend.UnaryFn;
import dev.nn4j.backend.Window2d;
import dev.nn4j.tensor.Tensor;

/**
 * The primitive operations autograd records. Every other op is composed from these, so its gradient comes
 * for free. Adding a primitive means adding a record here; the compiler then insists on its case in
 * {@link Backward}. Each record holds the inputs its backward rule needs.
 */
public sealed interface Op {

    /** The tensors this op read, in the order {@link Backward#grads} returns their gradients. */
    Tensor[] inputs();

    record Unary(UnaryFn fn, Tensor x) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** A broadcasting element-wise op; comparisons are never recorded (they have no gradient). */
    record Binary(BinaryFn fn, Tensor a, Tensor b) implements Op {
        public Tensor[] inputs() { return new Tensor[] {a, b}; }
    }

    /** {@code cond ? a : b}; {@code cond} is a mask and gets no gradient. */
    record Where(Tensor cond, Tensor a, Tensor b) implements Op {
        public Tensor[] inputs() { return new Tensor[] {a, b}; }
    }

    record Sum(Tensor x, int[] dims, boolean keepdim) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** Maximum over {@code dims}; the gradient is shared equally between tied maxima. */
    record Max(Tensor x, int[] dims, boolean keepdim) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** Matrix product of tensors of rank 2 or more, with broadcast batch dimensions. */
    record MatMul(Tensor a, Tensor b) implements Op {
        public Tensor[] inputs() { return new Tensor[] {a, b}; }
    }

    /**
     * The fused linear layer {@code x · Wᵀ + b} ({@code x} {@code [M, K]}, {@code weight} {@code [N, K]}, {@code bias}
     * {@code [N]} or null): one GEMM that starts from the bias, and a backward without transposed copies. With
     * {@code relu}, the output is the ReLU of that (its backward masks the gradient by the output).
     */
    record Linear(Tensor x, Tensor weight, Tensor bias, boolean relu) implements Op {
        public Tensor[] inputs() { return bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias}; }
    }

    /** Softmax or log-softmax along {@code dim}. */
    record Softmax(Tensor x, int dim, boolean log) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** Any change of shape that keeps the element order (reshape, view, squeeze, unsqueeze, flatten). */
    record Reshape(Tensor x) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    record Permute(Tensor x, int[] perm) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    record Expand(Tensor x) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    record Narrow(Tensor x, int dim, int start) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** A copy into contiguous memory; its gradient passes through unchanged. */
    record Contiguous(Tensor x) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    record Concat(Tensor[] xs, int dim) implements Op {
        public Tensor[] inputs() { return xs.clone(); }
    }

    /** {@code x.indexSelect(dim, index)}; the index gets no gradient. */
    record IndexSelect(Tensor x, int dim, Tensor index) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** {@code x.gather(dim, index)}; the index gets no gradient. */
    record Gather(Tensor x, int dim, Tensor index) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** {@code x.indexAdd(dim, index, src)}: a copy of x with the slices of src added at the indexed positions. */
    record IndexAdd(Tensor x, int dim, Tensor index, Tensor src) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x, src}; }
    }

    /** {@code x.scatterAdd(dim, index, src)}: a copy of x with src added at the indexed places. */
    record ScatterAdd(Tensor x, int dim, Tensor index, Tensor src) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x, src}; }
    }

    /**
     * im2col, {@code Patches.unfold}: {@code [N, C, H, W]} to the window columns {@code [N, C·kH·kW, outH·outW]},
     * with {@code padValue} outside the image (0 for convolution, −∞ for max pooling; padding gets no gradient).
     */
    record Unfold2d(Tensor x, Window2d window, float padValue) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /** col2im, {@code Patches.fold}: window columns {@code [N, C·kH·kW, outH·outW]} summed back into {@code [N, C, H, W]}. */
    record Fold2d(Tensor cols, Window2d window) implements Op {
        public Tensor[] inputs() { return new Tensor[] {cols}; }
    }

    /**
     * Fused 2-D convolution with one group, {@code Convolution.conv2d}: {@code x} {@code [N, C, H, W]}, {@code weight}
     * {@code [O, C, kH, kW]}, {@code bias} {@code [O]} or null; no column tensor is kept for the backward pass. With
     * {@code relu}, the output is the ReLU of the convolution (its backward masks the gradient by the output). With a
     * {@code pool} window, the output is that max pooling of it, {@code argmax} as in {@link MaxPool2d}; else both null.
     */
    record Conv2d(Tensor x, Tensor weight, Tensor bias, Window2d window, boolean relu, Window2d pool, int[] argmax) implements Op {
        public Tensor[] inputs() { return bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias}; }
    }

    /**
     * Max pooling of the planes of {@code x} ({@code [N, C, H, W]}), {@code Pooling.maxPool2d}; {@code argmax} holds, per
     * output, the index {@code ih·W + iw} of the first maximum in its plane, which alone receives the gradient (as PyTorch).
     */
    record MaxPool2d(Tensor x, Window2d window, int[] argmax) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /**
     * Inverted dropout, {@code InvertedDropout.apply}: {@code x} times a mask of {@code scale} or 0 drawn by index from a
     * generator in {@code state} with probability {@code p} of 0; the backward pass draws the same mask again.
     */
    record Dropout(Tensor x, long state, double p, float scale) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }

    /**
     * The LSTM cell's element-wise part, {@code Recurrent.lstmCell}: output {@code [h' | c']} from gates {@code [B, 4H]}
     * and cell state {@code [B, H]}; {@code acts} keeps, per row, the activated gates i, f, g, o and tanh(c') for the backward.
     */
    record LstmCell(Tensor gates, Tensor c, float[] acts) implements Op {
        public Tensor[] inputs() { return new Tensor[] {gates, c}; }
    }

    /**
     * Cross-entropy of logits {@code x [N, C]} against class indices, {@code CrossEntropy.loss}: {@code logProbs} keeps
     * {@code log softmax(x)}, {@code index} the target classes (0 where ignored), {@code kept} 1 for targets not ignored
     * and 0 for those that are, {@code divisor} the number kept (MEAN) or 1 (SUM, where dividing changes no bit).
     */
    record CrossEntropy(Tensor x, float[] logProbs, float[] index, float[] kept, float divisor) implements Op {
        public Tensor[] inputs() { return new Tensor[] {x}; }
    }
}
