package dev.nn4j.tensor;

import dev.nn4j.autograd.Op;

/**
 * The dropout primitive ({@link Op.Dropout}): one pass that draws each element's mask entry by index and multiplies,
 * and a backward that draws the same entries again. The composite version (a mask tensor, then a product) wrote and
 * kept a full-size mask for every dropout layer of a training step.
 */
public final class InvertedDropout {
    private InvertedDropout() {}

    /**
     * {@code x[i] · scale} where draw {@code i} of {@code gen} (as {@code nextDouble()}) is at least p, else
     * {@code x[i] · 0}, with {@code scale = 1 / (1 − p)}; advances {@code gen} past {@code x.numel()} draws. The same
     * values and gradients as {@code x.mul(mask)} with that mask.
     *
     * <p><b>Shapes:</b> {@code x} any shape and layout; the result is contiguous, of that shape.
     */
    public static Tensor apply(Tensor x, double p, Generator gen) {
        float scale = (float) (1.0 / (1.0 - p));
        float[] xd = x.dense();
        float[] out = Buffers.take(xd.length);  // the kernel overwrites every element
        long state = gen.skip(xd.length);
        TensorOps.kernels().dropout(xd, state, p, scale, out, out.length);
        return Tensor.result(out, x.shape.clone(), new Op.Dropout(x, state, p, scale));
    }

    /** The backward rule of {@link #apply}: the output gradient times the same mask. */
    public static Tensor grad(Op.Dropout op, Tensor g) {
        float[] gd = g.dense();
        float[] out = Buffers.take(gd.length);  // the kernel overwrites every element
        TensorOps.kernels().dropout(gd, op.state(), op.p(), op.scale(), out, out.length);
        return Tensor.result(out, g.shape.clone(), null);
    }
}
