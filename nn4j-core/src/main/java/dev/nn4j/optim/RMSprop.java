package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.nn4j.backend.ScalarKernels.flushSubnormal;

/**
 * RMSprop, following PyTorch 1.13's {@code torch.optim.RMSprop} (single-tensor rule, float32 arithmetic in the
 * same order). Note that ε is added outside the square root, as in PyTorch (TensorFlow adds it inside).
 *
 * <pre>
 * g ← g + weight_decay·θ                      (if weight_decay ≠ 0)
 * s ← α·s + (1 − α)·g²
 * centered:  a ← α·a + (1 − α)·g;   r ← √(s − a²) + ε
 * otherwise: r ← √s + ε
 * momentum > 0: b ← momentum·b + g/r;   θ ← θ − lr·b
 * otherwise:    θ ← θ − lr·g/r
 * </pre>
 * {@code square_avg}, {@code grad_avg} and the momentum buffer are stored as 0 once they fall below the smallest normal
 * float (1.18e-38), as Adam's moments are: subnormal operands take a slow path on x86.
 *
 * <p><b>Parameters</b> (defaults, valid ranges): {@code lr} (1e-2, ≥ 0), {@code alpha} (0.99, ≥ 0),
 * {@code eps} (1e-8, ≥ 0), {@code weight_decay} (0, ≥ 0), {@code momentum} (0, ≥ 0), {@code centered} (false).
 * State: {@code step} (rank 0, counted but unused by the rule), {@code square_avg}, {@code momentum_buffer}
 * (momentum > 0), {@code grad_avg} (centered).
 *
 * <p>Reference: Hinton, Neural Networks for Machine Learning, lecture 6e; Graves, "Generating Sequences With
 * Recurrent Neural Networks", 2013 (centered);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.RMSprop.html">torch.optim.RMSprop</a>.
 */
public final class RMSprop extends Optimizer {

    public RMSprop(List<Tensor> params) {
        this(params, 1e-2);
    }

    public RMSprop(List<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    public RMSprop(List<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        this(single("RMSprop", params), lr, alpha, eps, weightDecay, momentum, centered);
    }

    /** RMSprop over parameter groups; the arguments are the defaults for options a group does not set. */
    public RMSprop(Collection<ParamGroup> groups, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        super("RMSprop", groups, defaults(lr, alpha, eps, weightDecay, momentum, centered));
    }

    private static Map<String, Double> defaults(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("alpha", alpha);
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("momentum", momentum);
        d.put("centered", centered ? 1.0 : 0.0);
        return d;
    }

    @Override
    protected void checkOptions(ParamGroup g, int gi) {
        require(g.lr() >= 0, "learning rate must be >= 0", g, "lr", gi);
        require(g.get("eps") >= 0, "eps must be >= 0", g, "eps", gi);
        require(g.get("momentum") >= 0, "momentum must be >= 0", g, "momentum", gi);
        require(g.get("weight_decay") >= 0, "weight_decay must be >= 0", g, "weight_decay", gi);
        require(g.get("alpha") >= 0, "alpha must be >= 0", g, "alpha", gi);
    }

    @Override
    protected Set<String> stateNames() {
        return Set.of("step", "square_avg", "momentum_buffer", "grad_avg");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] p, float[] g, Map<String, Tensor> state) {
        double momentumD = group.get("momentum");
        boolean centered = group.flag("centered");
        if (state.isEmpty()) {
            state.put("step", Tensor.scalar(0));
            state.put("square_avg", Tensor.zeros(param.shape()));
        }
        state.get("step").array()[0] += 1;
        float[] s = state.get("square_avg").array();
        float[] a = centered ? state.computeIfAbsent("grad_avg", k -> Tensor.zeros(param.shape())).array() : null;
        float[] b = momentumD > 0 ? state.computeIfAbsent("momentum_buffer", k -> Tensor.zeros(param.shape())).array() : null;
        float weightDecay = (float) group.get("weight_decay");
        float alpha = (float) group.get("alpha"), oneMinusAlpha = (float) (1 - group.get("alpha"));
        float eps = (float) group.get("eps"), momentum = (float) momentumD, negLr = (float) -group.lr();
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            if (weightDecay != 0) gi = gi + weightDecay * p[i];
            s[i] = flushSubnormal(s[i] * alpha + oneMinusAlpha * gi * gi);
            float r;
            if (centered) {
                a[i] = flushSubnormal(a[i] * alpha + oneMinusAlpha * gi);
                r = (float) Math.sqrt(s[i] + -1f * a[i] * a[i]);
            } else {
                r = (float) Math.sqrt(s[i]);
            }
            r = r + eps;
            if (b != null) {
                b[i] = flushSubnormal(b[i] * momentum + 1f * gi / r);
                p[i] = p[i] + negLr * b[i];
            } else {
                p[i] = p[i] + negLr * gi / r;
            }
        }
    }
}
