package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.List;

/**
 * L1 and L2 penalties for any set of parameters, in two equivalent forms: a differentiable penalty to add to the
 * loss ({@link #l1}, {@link #l2}), or the penalty's gradient added directly to the parameters' gradients after
 * {@code backward()} ({@link #applyL1}, {@link #applyL2}), which saves building a graph over every weight.
 *
 * <pre>
 * l1(θ, λ) = λ·Σ|θ|      ∂/∂θ = λ·sign(θ)   (0 at θ = 0, as PyTorch's abs)
 * l2(θ, λ) = λ·Σθ²       ∂/∂θ = 2λ·θ
 * </pre>
 *
 * <p>The L2 penalty here is {@code λ·Σθ²} (Keras's convention); an optimizer's {@code weight_decay = w} adds
 * {@code w·θ} to the gradient, which equals {@code l2(θ, w/2)}. For Adam, L2 in the loss and decoupled weight
 * decay ({@link AdamW}) are different things; see Loshchilov &amp; Hutter, ICLR 2019.
 */
public final class Regularization {
    private Regularization() {}

    /** {@code λ·Σ|θ|} over all {@code params}, a rank-0 tensor that records the graph when a parameter requires grad. */
    public static Tensor l1(List<Tensor> params, double lambda) {
        return penalty("l1", params, lambda, false);
    }

    /** {@code λ·Σθ²} over all {@code params}, a rank-0 tensor that records the graph when a parameter requires grad. */
    public static Tensor l2(List<Tensor> params, double lambda) {
        return penalty("l2", params, lambda, true);
    }

    /** Adds {@code λ·sign(θ)} to the gradient of every parameter that has one, in place. */
    public static void applyL1(List<Tensor> params, double lambda) {
        checkLambda("applyL1", lambda);
        float l = (float) lambda;
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            float[] g = p.grad().array(), v = p.array();
            for (int i = 0; i < g.length; i++) g[i] += l * Math.signum(v[i]);
        }
    }

    /** Adds {@code 2λ·θ} to the gradient of every parameter that has one, in place. */
    public static void applyL2(List<Tensor> params, double lambda) {
        checkLambda("applyL2", lambda);
        float twoL = (float) (2 * lambda);
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            float[] g = p.grad().array(), v = p.array();
            for (int i = 0; i < g.length; i++) g[i] += twoL * v[i];
        }
    }

    private static Tensor penalty(String op, List<Tensor> params, double lambda, boolean square) {
        checkLambda(op, lambda);
        if (params.isEmpty()) throw new IllegalArgumentException(op + ": needs at least one parameter");
        Tensor total = null;
        for (Tensor p : params) {
            Tensor term = (square ? p.mul(p) : p.abs()).sum();
            total = total == null ? term : total.add(term);
        }
        return total.mul((float) lambda);
    }

    private static void checkLambda(String op, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException(op + ": lambda must be finite and >= 0 but was " + lambda);
    }
}
