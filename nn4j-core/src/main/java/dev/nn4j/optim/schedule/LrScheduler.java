package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.ParamGroup;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base of epoch- or step-indexed learning-rate schedules, as PyTorch 1.13's {@code _LRScheduler}: it records
 * each group's starting learning rate as the group option {@code initial_lr} (kept if already there), and each
 * {@link #step()} advances {@code last_epoch} and writes the new learning rate of every group into the optimizer.
 * Building a schedule performs the first step (epoch 0), as in PyTorch. Call {@code optimizer.step()} before
 * {@code scheduler.step()}.
 *
 * <p>Subclasses compute the new rates from the optimizer's current ones (PyTorch's chainable {@code get_lr}), so
 * schedules compose when stepped together. They set their own fields before calling {@code super(optimizer)}
 * (Java 25's flexible constructor bodies), because this constructor already calls {@link #computeLr()}.
 *
 * <p><b>Resuming.</b> {@link #stateDict()} holds the schedule's progress ({@code last_epoch}, {@code base_lrs},
 * {@code last_lr}), not its constructor arguments; the learning rates themselves live in the optimizer's state
 * dict. To resume, build the optimizer and the schedule as before, then load both state dicts.
 */
public abstract class LrScheduler {
    protected final Optimizer optimizer;
    private final String name;
    private double[] baseLrs;
    private double[] lastLr;
    private int lastEpoch = -1;

    @SuppressWarnings("this-escape")  // the first step() calls computeLr(); subclasses set their fields before super()
    protected LrScheduler(Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer is null");
        this.optimizer = optimizer;
        this.name = getClass().getSimpleName();
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            baseLrs[i] = g.get("initial_lr");
        }
        step();
    }

    /**
     * The new learning rate of every group for epoch {@link #lastEpoch()} (already advanced), computed from the
     * groups' current rates and/or {@link #baseLrs()}.
     */
    protected abstract double[] computeLr();

    /** Advances one epoch (or batch, for per-step schedules) and sets every group's learning rate. */
    public void step() {
        lastEpoch++;
        double[] lrs = computeLr();
        for (int i = 0; i < lrs.length; i++) optimizer.setLr(i, lrs[i]);
        lastLr = currentLrs();
    }

    /** The learning rates the last {@link #step()} set, one per group. */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The number of steps taken since epoch 0 (0 right after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** Each group's {@code initial_lr}. */
    protected double[] baseLrs() {
        return baseLrs.clone();
    }

    /** The groups' current learning rates. */
    protected double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** {@code last_epoch} (rank 0; exact up to 2²⁴), {@code base_lrs} and {@code last_lr} (one entry per group). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", Tensor.scalar(lastEpoch));
        out.put("base_lrs", vector(baseLrs));
        out.put("last_lr", vector(lastLr));
        return out;
    }

    /** Restores a {@link #stateDict()}; checks the key names and that there is one entry per param group. */
    public void loadStateDict(Map<String, Tensor> dict) {
        String op = name + ".loadStateDict";
        checkKeys(op, dict, Set.of("last_epoch", "base_lrs", "last_lr"));
        int n = optimizer.paramGroups().size();
        float epoch = scalar(op, dict, "last_epoch");
        double[] base = vector(op, dict, "base_lrs", n), last = vector(op, dict, "last_lr", n);
        lastEpoch = (int) epoch;
        baseLrs = base;
        lastLr = last;
    }

    // ------------------------------------------------------------------ state-dict helpers (also for ReduceLROnPlateau)

    static Tensor vector(double[] values) {
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) values[i];
        return Tensor.fromArray(v, v.length);
    }

    static void checkKeys(String op, Map<String, Tensor> dict, Set<String> expected) {
        for (String k : dict.keySet()) {
            if (!expected.contains(k)) throw new IllegalArgumentException(op + ": unexpected key '" + k + "'; expected " + expected);
        }
        for (String k : expected) {
            if (!dict.containsKey(k)) throw new IllegalArgumentException(op + ": missing key '" + k + "'");
        }
    }

    static float scalar(String op, Map<String, Tensor> dict, String key) {
        Tensor t = dict.get(key);
        if (t.dim() != 0) throw new IllegalArgumentException(op + ": '" + key + "' must be a scalar (rank-0) tensor but has shape " + Arrays.toString(t.shape()));
        return t.item();
    }

    static double[] vector(String op, Map<String, Tensor> dict, String key, int groups) {
        Tensor t = dict.get(key);
        if (t.dim() != 1 || t.numel() != groups) {
            throw new IllegalArgumentException(op + ": '" + key + "' must have shape [" + groups + "] (one entry per param group) but has shape " + Arrays.toString(t.shape()));
        }
        double[] v = new double[groups];
        for (int i = 0; i < groups; i++) v[i] = t.get(i);
        return v;
    }
}
