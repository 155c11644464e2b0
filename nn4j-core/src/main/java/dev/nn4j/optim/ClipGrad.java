package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.List;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: call it between
 * {@code backward()} and {@code optimizer.step()}. Parameters without a gradient are ignored.
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@link #clipGradNorm(List, double, double, boolean)} with the 2-norm and no error on a non-finite norm. */
    public static float clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2, false);
    }

    public static float clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their total norm is at most {@code maxNorm}, and returns the total
     * norm before clipping (0 when no parameter has a gradient).
     *
     * <pre>
     * n = ‖(‖g₁‖ₚ, …, ‖gₖ‖ₚ)‖ₚ        (p = ∞: max |gᵢⱼ|)
     * c = min(maxNorm / (n + 1e-6), 1)
     * gᵢ ← c·gᵢ
     * </pre>
     *
     * The norms are accumulated in double and rounded to float; {@code c} is then formed in float32 as PyTorch does.
     *
     * @param normType         p > 0, or {@link Double#POSITIVE_INFINITY} for the max norm
     * @param errorIfNonfinite throw instead of scaling by a NaN or infinite norm
     */
    public static float clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(normType > 0)) throw new IllegalArgumentException("clipGradNorm: normType must be > 0 or infinity but was " + normType);
        if (Double.isNaN(maxNorm)) throw new IllegalArgumentException("clipGradNorm: maxNorm is NaN");
        boolean inf = Double.isInfinite(normType);
        boolean any = false;
        double acc = 0;
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            any = true;
            double s = 0;
            for (float v : p.grad().array()) {
                if (inf) s = Math.max(s, Math.abs(v));
                else if (normType == 2) s += (double) v * v;
                else if (normType == 1) s += Math.abs(v);
                else s += Math.pow(Math.abs(v), normType);
            }
            // like PyTorch, each gradient's norm is a float32 before the norms are combined
            float norm = inf ? (float) s : (float) Math.pow(s, 1 / normType);
            acc = inf ? Math.max(acc, norm) : acc + Math.pow(norm, normType);
        }
        if (!any) return 0f;
        float total = inf ? (float) acc : (float) Math.pow(acc, 1 / normType);
        if (errorIfNonfinite && !Float.isFinite(total)) {
            throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients is " + total
                    + ", so they cannot be clipped; pass errorIfNonfinite=false to scale by it anyway");
        }
        float coef = (float) maxNorm / (total + 1e-6f);
        if (coef > 1f) coef = 1f;
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            float[] g = p.grad().array();
            for (int i = 0; i < g.length; i++) g[i] = g[i] * coef;
        }
        return total;
    }

    /** Clamps every gradient element into {@code [−clip, clip]} in place. */
    public static void clipGradValue(List<Tensor> params, double clip) {
        if (!(clip >= 0)) throw new IllegalArgumentException("clipGradValue: clip must be >= 0 but was " + clip);
        float c = (float) clip;
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            float[] g = p.grad().array();
            for (int i = 0; i < g.length; i++) g[i] = Math.min(Math.max(g[i], -c), c);
        }
    }
}
