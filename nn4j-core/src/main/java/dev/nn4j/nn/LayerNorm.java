package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dimensions, as {@code torch.nn.LayerNorm}:
 * {@code y = (x − E[x]) / √(Var[x] + eps) · weight + bias}, with the mean and the biased variance taken over
 * those dimensions of each sample. Composed from tensor ops, so it gets its gradient for free.
 *
 * <p><b>Shapes:</b> input {@code [*, normalizedShape…]}, output the same shape.
 *
 * <p><b>Parameters</b> (when {@code elementwiseAffine}): {@code weight} and {@code bias}, both of shape
 * {@code normalizedShape}, initialised to ones and zeros.
 *
 * <p>Reference: Ba et al., <i>Layer Normalization</i> (2016);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.LayerNorm.html">torch.nn.LayerNorm</a>.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final Tensor weight, bias;

    /** Over the last dimension of size {@code normalizedShape}, {@code eps = 1e-5}, with affine parameters. */
    public LayerNorm(int normalizedShape) {
        this(new int[] {normalizedShape}, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must be non-empty with positive sizes but was " + Arrays.toString(normalizedShape));
        }
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be positive but was " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length, r = x.dim();
        int[] trailing = r >= k ? Arrays.copyOfRange(x.shape(), r - k, r) : x.shape();
        if (!Arrays.equals(trailing, normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm expects the last " + k + " dimension(s) to be " + Shape.str(normalizedShape)
                    + " (normalizedShape) but input shape is " + Shape.str(x.shape()));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = r - k + i;
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor variance = centred.mul(centred).mean(dims, true);
        Tensor y = centred.mul(variance.add((float) eps).rsqrt());
        return weight == null ? y : y.mul(weight).add(bias);
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    public double eps() {
        return eps;
    }

    /** The scale, of shape {@code normalizedShape}, or null without {@code elementwiseAffine}. */
    public Tensor weight() {
        return weight;
    }

    /** The shift, of shape {@code normalizedShape}, or null without {@code elementwiseAffine}. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        String shape = Arrays.toString(normalizedShape).replace('[', '(').replace(']', ')');
        if (normalizedShape.length == 1) shape = "(" + normalizedShape[0] + ",)";
        return shape + ", eps=" + pythonFloat(eps) + ", elementwise_affine=" + (weight != null ? "True" : "False");
    }
}
