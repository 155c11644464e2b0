package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.nn4j.backend.ScalarKernels.flushSubnormal;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay and maximisation,
 * following PyTorch 1.13's {@code torch.optim.SGD} (single-tensor rule, float32 arithmetic in the same order).
 *
 * <pre>
 * d ← maximize ? −g : g
 * d ← d + weight_decay·θ                       (if weight_decay ≠ 0)
 * if momentum ≠ 0:
 *     b ← d                                    (first step)
 *     b ← momentum·b + (1 − dampening)·d       (later steps)
 *     d ← nesterov ? d + momentum·b : b
 * θ ← θ − lr·d
 * </pre>
 * The momentum buffer is stored as 0 once it falls below the smallest normal float (1.18e-38), as Adam's moments are:
 * subnormal operands take a slow path on x86.
 *
 * <p><b>Parameters</b> (defaults, valid ranges): {@code lr} (required, ≥ 0), {@code momentum} (0, ≥ 0),
 * {@code dampening} (0), {@code weight_decay} (0, ≥ 0), {@code nesterov} (false; needs momentum > 0 and
 * dampening = 0), {@code maximize} (false). State: {@code momentum_buffer}, created at a parameter's first step
 * when momentum ≠ 0.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html">torch.optim.SGD</a>;
 * Sutskever et al., "On the importance of initialization and momentum in deep learning", ICML 2013.
 */
public final class Sgd extends Optimizer {

    /** Plain SGD: {@code θ ← θ − lr·g}. */
    public Sgd(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false, false);
    }

    /** SGD with momentum and no dampening, the common setting. */
    public Sgd(List<Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false, false);
    }

    public Sgd(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        this(single("Sgd", params), lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    /**
     * SGD over parameter groups; the arguments are the defaults for options a group does not set. (A
     * {@code Collection} rather than a {@code List} only because Java erases generics, so a second {@code List}
     * overload would clash with the {@code List<Tensor>} one.)
     */
    public Sgd(Collection<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        super("Sgd", groups, defaults(lr, momentum, dampening, weightDecay, nesterov, maximize));
    }

    private static Map<String, Double> defaults(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", momentum);
        d.put("dampening", dampening);
        d.put("weight_decay", weightDecay);
        d.put("nesterov", nesterov ? 1.0 : 0.0);
        d.put("maximize", maximize ? 1.0 : 0.0);
        return d;
    }

    @Override
    protected void checkOptions(ParamGroup g, int gi) {
        require(g.lr() >= 0, "learning rate must be >= 0", g, "lr", gi);
        require(g.get("momentum") >= 0, "momentum must be >= 0", g, "momentum", gi);
        require(g.get("weight_decay") >= 0, "weight_decay must be >= 0", g, "weight_decay", gi);
        require(!Double.isNaN(g.get("dampening")), "dampening must be a number", g, "dampening", gi);
        if (g.flag("nesterov")) {
            require(g.get("momentum") > 0 && g.get("dampening") == 0, "Nesterov momentum requires momentum > 0 and dampening = 0", g, "momentum", gi);
        }
    }

    @Override
    protected Set<String> stateNames() {
        return Set.of("momentum_buffer");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] p, float[] g, Map<String, Tensor> state) {
        // PyTorch casts each Python-double scalar to float before the float32 kernel
        float weightDecay = (float) group.get("weight_decay");
        double momentumD = group.get("momentum");
        float momentum = (float) momentumD;
        float oneMinusDampening = (float) (1 - group.get("dampening"));
        float negLr = (float) -group.lr();
        boolean nesterov = group.flag("nesterov"), maximize = group.flag("maximize");
        float[] buf = null;
        boolean first = false;
        if (momentumD != 0) {
            Tensor b = state.get("momentum_buffer");
            if (b == null) {
                b = Tensor.zeros(param.shape());
                state.put("momentum_buffer", b);
                first = true;
            }
            buf = b.array();
        }
        for (int i = 0; i < p.length; i++) {
            float d = maximize ? -g[i] : g[i];
            if (weightDecay != 0) d = d + weightDecay * p[i];
            if (buf != null) {
                buf[i] = flushSubnormal(first ? d : buf[i] * momentum + oneMinusDampening * d);
                d = nesterov ? d + momentum * buf[i] : buf[i];
            }
            p[i] = p[i] + negLr * d;
        }
    }
}
