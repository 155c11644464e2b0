package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad, following PyTorch 1.13's {@code torch.optim.Adagrad} (single-tensor rule, float32 arithmetic in the
 * same order). As in PyTorch, the accumulator exists from construction, filled with
 * {@code initial_accumulator_value}.
 *
 * <pre>
 * t ← t + 1
 * g ← g + weight_decay·θ                      (if weight_decay ≠ 0)
 * lr_t ← lr / (1 + (t − 1)·lr_decay)
 * s ← s + g²
 * θ ← θ − lr_t · g / (√s + ε)
 * </pre>
 *
 * <p><b>Parameters</b> (defaults, valid ranges): {@code lr} (1e-2, ≥ 0), {@code lr_decay} (0, ≥ 0),
 * {@code weight_decay} (0, ≥ 0), {@code initial_accumulator_value} (0, ≥ 0), {@code eps} (1e-10, ≥ 0).
 * State: {@code step} (rank 0) and {@code sum}.
 *
 * <p>Reference: Duchi et al., "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization",
 * JMLR 2011; <a href="https://pytorch.org/docs/1.13/generated/torch.optim.Adagrad.html">torch.optim.Adagrad</a>.
 */
public final class Adagrad extends Optimizer {

    public Adagrad(List<Tensor> params) {
        this(params, 1e-2);
    }

    public Adagrad(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, 1e-10);
    }

    public Adagrad(List<Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        this(single("Adagrad", params), lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
    }

    /** Adagrad over parameter groups; the arguments are the defaults for options a group does not set. */
    public Adagrad(Collection<ParamGroup> groups, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        super("Adagrad", groups, defaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps));
    }

    private static Map<String, Double> defaults(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("lr_decay", lrDecay);
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("initial_accumulator_value", initialAccumulatorValue);
        return d;
    }

    @Override
    protected void checkOptions(ParamGroup g, int gi) {
        require(g.lr() >= 0, "learning rate must be >= 0", g, "lr", gi);
        require(g.get("lr_decay") >= 0, "lr_decay must be >= 0", g, "lr_decay", gi);
        require(g.get("weight_decay") >= 0, "weight_decay must be >= 0", g, "weight_decay", gi);
        require(g.get("initial_accumulator_value") >= 0, "initial_accumulator_value must be >= 0", g, "initial_accumulator_value", gi);
        require(g.get("eps") >= 0, "eps must be >= 0", g, "eps", gi);
    }

    @Override
    protected Set<String> stateNames() {
        return Set.of("step", "sum");
    }

    @Override
    protected void initState(ParamGroup group, Tensor param, Map<String, Tensor> state) {
        state.put("step", Tensor.scalar(0));
        state.put("sum", Tensor.full((float) group.get("initial_accumulator_value"), param.shape()));
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] p, float[] g, Map<String, Tensor> state) {
        if (state.isEmpty()) initState(group, param, state);  // a loaded state dict may lack never-stepped entries
        float[] stepT = state.get("step").array();
        stepT[0] += 1;
        double step = stepT[0];
        float negClr = (float) -(group.lr() / (1 + (step - 1) * group.get("lr_decay")));
        float weightDecay = (float) group.get("weight_decay"), eps = (float) group.get("eps");
        float[] s = state.get("sum").array();
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            if (weightDecay != 0) gi = gi + weightDecay * p[i];
            s[i] = s[i] + 1f * gi * gi;
            float std = (float) Math.sqrt(s[i]) + eps;
            p[i] = p[i] + negClr * gi / std;
        }
    }
}
