package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.ParamGroup;

import java.util.Arrays;
import java.util.List;

/**
 * The 1cycle policy, stepped once per batch, as PyTorch's {@code OneCycleLR}: the learning rate anneals from
 * {@code maxLr/divFactor} up to {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then down to
 * {@code maxLr/(divFactor·finalDivFactor)}; momentum (Sgd/RMSprop {@code momentum}, Adam/AdamW {@code beta1})
 * cycles the opposite way between {@code maxMomentum} and {@code baseMomentum}. With {@code threePhase} the rate
 * first returns symmetrically to its initial value and only the third phase anneals to the minimum.
 *
 * <pre>
 * cos:     anneal(a, b, pct) = b + (a − b)/2 · (cos(π·pct) + 1)
 * linear:  anneal(a, b, pct) = (b − a)·pct + a
 * phase ends (steps): pctStart·T − 1, T − 1          (three phases: pctStart·T − 1, 2·pctStart·T − 2, T − 1)
 * </pre>
 *
 * <p>Group options written (as in PyTorch): {@code initial_lr}, {@code max_lr}, {@code min_lr}, and with momentum
 * cycling {@code max_momentum} and {@code base_momentum}; at construction the momentum is set to its maximum.
 *
 * <p><b>Parameters</b> (defaults): {@code maxLr} (per group or one for all, ≥ 0), {@code totalSteps} (≥ 1; stepping
 * past it fails), {@code pctStart} (0.3, [0, 1]), {@code anneal} ({@link Anneal#COS}), {@code cycleMomentum}
 * (true), {@code baseMomentum} (0.85), {@code maxMomentum} (0.95), {@code divFactor} (25, > 0),
 * {@code finalDivFactor} (1e4, > 0), {@code threePhase} (false).
 * Reference: Smith &amp; Topin, "Super-Convergence", 2018;
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.OneCycleLR.html">OneCycleLR</a>.
 */
public final class OneCycleLR extends LrScheduler {
    /** How the rate moves within a phase. */
    public enum Anneal { COS, LINEAR }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private final int totalSteps;
    private final Anneal anneal;
    private final List<Phase> phases;
    private final String momentumOption;  // "beta1", "momentum", or null without momentum cycling

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, Anneal.COS, true, 0.85, 0.95, 25, 1e4, false);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, Anneal anneal, boolean cycleMomentum,
                      double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {
        this(optimizer, perGroup(optimizer, maxLr), totalSteps, pctStart, anneal, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
    }

    /** With one {@code maxLr} per param group. */
    public OneCycleLR(Optimizer optimizer, double[] maxLrs, int totalSteps, double pctStart, Anneal anneal, boolean cycleMomentum,
                      double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (maxLrs.length != groups.size()) throw new IllegalArgumentException("OneCycleLR: expected " + groups.size() + " values for maxLr (one per param group), got " + maxLrs.length);
        for (double m : maxLrs) if (!(m >= 0) || Double.isInfinite(m)) throw new IllegalArgumentException("OneCycleLR: maxLr must be finite and >= 0 but got " + Arrays.toString(maxLrs));
        if (totalSteps < 1) throw new IllegalArgumentException("OneCycleLR: totalSteps must be >= 1 but was " + totalSteps);
        if (!(pctStart >= 0 && pctStart <= 1)) throw new IllegalArgumentException("OneCycleLR: pctStart must be in [0, 1] but was " + pctStart);
        if (!(divFactor > 0) || !(finalDivFactor > 0)) throw new IllegalArgumentException("OneCycleLR: divFactor and finalDivFactor must be > 0 but were " + divFactor + " and " + finalDivFactor);
        if (anneal == null) throw new IllegalArgumentException("OneCycleLR: anneal is null");
        List<Phase> ph = threePhase
                ? List.of(new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(2 * pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                        new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"))
                : List.of(new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        double start = 0;
        for (Phase p : ph) {
            if (!(p.endStep() > start)) {
                throw new IllegalArgumentException("OneCycleLR: with totalSteps=" + totalSteps + ", pctStart=" + pctStart + (threePhase ? " and three phases" : "")
                        + " a phase would be empty (it would end at step " + p.endStep() + ", not after step " + start + "); use more steps or another pctStart");
            }
            start = p.endStep();
        }
        String momentum = null;
        if (cycleMomentum) {
            ParamGroup g0 = groups.getFirst();
            momentum = g0.has("beta1") ? "beta1" : g0.has("momentum") ? "momentum" : null;
            if (momentum == null) {
                throw new IllegalArgumentException("OneCycleLR: cycleMomentum needs an optimizer with a 'momentum' or 'beta1' option, but the options are "
                        + g0.options().keySet() + "; pass cycleMomentum=false");
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            g.set("initial_lr", maxLrs[i] / divFactor);
            g.set("max_lr", maxLrs[i]);
            g.set("min_lr", g.get("initial_lr") / finalDivFactor);
            if (momentum != null) {
                g.set(momentum, maxMomentum);
                g.set("max_momentum", maxMomentum);
                g.set("base_momentum", baseMomentum);
            }
        }
        this.totalSteps = totalSteps;
        this.anneal = anneal;
        this.phases = ph;
        this.momentumOption = momentum;
        super(optimizer);
    }

    private static double[] perGroup(Optimizer optimizer, double value) {
        double[] v = new double[optimizer.paramGroups().size()];
        Arrays.fill(v, value);
        return v;
    }

    private double anneal(double start, double end, double pct) {
        return anneal == Anneal.COS ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch();
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (stepNum + 1) + " times; the specified number of total steps is " + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            ParamGroup g = groups.get(i);
            double start = 0;
            for (int k = 0; k < phases.size(); k++) {
                Phase p = phases.get(k);
                if (stepNum <= p.endStep() || k == phases.size() - 1) {
                    double pct = (stepNum - start) / (p.endStep() - start);
                    lrs[i] = anneal(g.get(p.startLr()), g.get(p.endLr()), pct);
                    if (momentumOption != null) g.set(momentumOption, anneal(g.get(p.startMomentum()), g.get(p.endMomentum()), pct));
                    break;
                }
                start = p.endStep();
            }
        }
        return lrs;
    }
}
