package dev.nn4j.optim;

import dev.nn4j.backend.AdamStep;
import dev.nn4j.backend.Backend;
import dev.nn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The update shared by {@link Adam} and {@link AdamW}, which differ only in how weight decay enters: added to the
 * gradient (L2) or applied to the parameter directly (decoupled). Float operations follow PyTorch 1.13's
 * {@code _single_tensor_adam}/{@code _single_tensor_adamw}: scalars are computed in double and cast to float.
 */
final class AdamRule {
    static final Set<String> STATE = Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    private AdamRule() {}

    static Map<String, Double> defaults(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("beta1", beta1);
        d.put("beta2", beta2);
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", amsgrad ? 1.0 : 0.0);
        return d;
    }

    static void check(Optimizer o, ParamGroup g, int gi) {
        o.require(g.lr() >= 0, "learning rate must be >= 0", g, "lr", gi);
        o.require(g.get("eps") >= 0, "eps must be >= 0", g, "eps", gi);
        o.require(g.get("beta1") >= 0 && g.get("beta1") < 1, "beta1 must be in [0, 1)", g, "beta1", gi);
        o.require(g.get("beta2") >= 0 && g.get("beta2") < 1, "beta2 must be in [0, 1)", g, "beta2", gi);
        o.require(g.get("weight_decay") >= 0, "weight_decay must be >= 0", g, "weight_decay", gi);
    }

    static void update(ParamGroup group, Tensor param, float[] p, float[] g, Map<String, Tensor> state, boolean decoupled) {
        double lr = group.lr(), beta1 = group.get("beta1"), beta2 = group.get("beta2"), weightDecay = group.get("weight_decay");
        boolean amsgrad = group.flag("amsgrad");
        if (state.isEmpty()) {
            state.put("step", Tensor.scalar(0));
            state.put("exp_avg", Tensor.zeros(param.shape()));
            state.put("exp_avg_sq", Tensor.zeros(param.shape()));
            if (amsgrad) state.put("max_exp_avg_sq", Tensor.zeros(param.shape()));
        }
        float[] stepT = state.get("step").array();
        stepT[0] += 1;
        double step = stepT[0];
        float[] m = state.get("exp_avg").array(), v = state.get("exp_avg_sq").array();
        float[] vMax = amsgrad ? state.computeIfAbsent("max_exp_avg_sq", k -> Tensor.zeros(param.shape())).array() : null;

        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        float negStepSize = (float) -(lr / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float l2 = decoupled ? 0 : (float) weightDecay;
        float shrink = (float) (1 - lr * weightDecay);
        AdamStep coefficients = new AdamStep((float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2),
                (float) group.get("eps"), l2, decoupled, shrink, negStepSize, bc2Sqrt);
        Backend.kernels().adam(coefficients, p, g, m, v, vMax, p.length);
    }
}
