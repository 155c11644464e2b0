package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam, following PyTorch 1.13's {@code torch.optim.Adam} (single-tensor rule, float32 arithmetic in the same order).
 * Weight decay here is an L2 term added to the gradient; for decoupled weight decay use {@link AdamW}.
 *
 * <pre>
 * t ← t + 1
 * g ← g + weight_decay·θ                      (if weight_decay ≠ 0)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * v̂ ← amsgrad ? (v_max ← max(v_max, v)) : v
 * θ ← θ − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * </pre>
 * m and v are stored as 0 once they fall below the smallest normal float (1.18e-38): subnormal operands take a slow
 * path on x86, and such a moment moves θ by less than 1e-30 with lr ≤ 1 and ε ≥ 1e-8 ({@link dev.nn4j.backend.Kernels#adam}).
 *
 * <p><b>Parameters</b> (defaults, valid ranges): {@code lr} (1e-3, ≥ 0), {@code beta1} (0.9, [0, 1)),
 * {@code beta2} (0.999, [0, 1)), {@code eps} (1e-8, ≥ 0), {@code weight_decay} (0, ≥ 0), {@code amsgrad} (false).
 * State: {@code step} (rank 0), {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq} with amsgrad.
 *
 * <p>Reference: Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015; Reddi et al., "On the
 * Convergence of Adam and Beyond", ICLR 2018 (amsgrad);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.Adam.html">torch.optim.Adam</a>.
 */
public final class Adam extends Optimizer {

    public Adam(List<Tensor> params) {
        this(params, 1e-3);
    }

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(single("Adam", params), lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    /** Adam over parameter groups; the arguments are the defaults for options a group does not set. */
    public Adam(Collection<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super("Adam", groups, AdamRule.defaults(lr, beta1, beta2, eps, weightDecay, amsgrad));
    }

    @Override
    protected void checkOptions(ParamGroup group, int groupIndex) {
        AdamRule.check(this, group, groupIndex);
    }

    @Override
    protected Set<String> stateNames() {
        return AdamRule.STATE;
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] p, float[] g, Map<String, Tensor> state) {
        AdamRule.update(group, param, p, g, state, false);
    }
}
