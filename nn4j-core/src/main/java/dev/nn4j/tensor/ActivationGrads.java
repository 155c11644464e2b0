package dev.nn4j.tensor;

/**
 * Backward rules of activations written as one pass into one fresh buffer, where the composite form would
 * allocate a mask and then the product (the chain rule in {@code autograd.Backward} calls these).
 */
public final class ActivationGrads {
    private ActivationGrads() {}

    /**
     * ReLU's input gradient {@code g · (x > 0)}: the same float product as {@code g.mul(x.gt(0))} (so NaN or ∞ in
     * {@code g} where {@code x ≤ 0} still gives NaN, and a negative {@code g} there gives −0), without the mask tensor.
     *
     * <p><b>Shapes:</b> {@code g} and {@code x} of the same shape (any layout); the result is contiguous, of that shape.
     */
    public static Tensor relu(Tensor g, Tensor x) {
        if (!java.util.Arrays.equals(g.shape, x.shape)) {
            throw new IllegalArgumentException("relu backward: gradient shape " + Shape.str(g.shape) + " does not match input shape " + Shape.str(x.shape));
        }
        float[] gd = g.dense(), xd = x.dense();
        float[] out = Buffers.take(gd.length);  // every element written below
        TensorOps.kernels().reluGrad(gd, xd, out, out.length);
        return Tensor.result(out, x.shape.clone(), null);
    }
}
