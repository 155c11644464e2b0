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
 * Reduces every group's learning rate by {@code factor} when a metric has stopped improving for more than
 * {@code patience} epochs, as PyTorch's {@code ReduceLROnPlateau}. Unlike the {@link LrScheduler}s it is driven
 * by {@link #step(double)} with the metric (a validation loss, an accuracy).
 *
 * <pre>
 * better(a, best):  min/rel: a &lt; best·(1 − threshold)    min/abs: a &lt; best − threshold
 *                   max/rel: a > best·(1 + threshold)    max/abs: a > best + threshold
 * each step: best, bad ← (a, 0) if better else (best, bad + 1); in cooldown: cooldown −= 1, bad ← 0
 *            if bad > patience: lr ← max(lr·factor, min_lr) (only if that lowers it by more than eps);
 *                               cooldown ← cooldown period; bad ← 0
 * </pre>
 *
 * Metrics are compared at float32 precision (the value is rounded to float first), so that the state dict, which
 * stores {@code best} as a float32, resumes exactly.
 *
 * <p><b>Parameters</b> (defaults): {@code mode} ({@link Mode#MIN}), {@code factor} (0.1, [0, 1)), {@code patience}
 * (10, ≥ 0), {@code threshold} (1e-4, ≥ 0), {@code thresholdMode} ({@link ThresholdMode#REL}), {@code cooldown}
 * (0, ≥ 0), {@code minLr} (0, ≥ 0; one for all groups or one per group), {@code eps} (1e-8, ≥ 0).
 * Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ReduceLROnPlateau.html">ReduceLROnPlateau</a>.
 */
public final class ReduceLROnPlateau {
    /** Whether lower ({@code MIN}, a loss) or higher ({@code MAX}, an accuracy) metrics are better. */
    public enum Mode { MIN, MAX }

    /** Whether {@code threshold} is relative to the best value or an absolute margin. */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private final Mode mode;
    private final ThresholdMode thresholdMode;
    private final double factor, threshold, eps;
    private final int patience, cooldown;
    private final double[] minLrs;

    private double best;
    private int numBadEpochs, cooldownCounter, lastEpoch;
    private double[] lastLr;

    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
                             int cooldown, double minLr, double eps) {
        this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, filled(optimizer, minLr), eps);
    }

    /** With one {@code minLr} per param group. */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
                             int cooldown, double[] minLrs, double eps) {
        if (mode == null || thresholdMode == null) throw new IllegalArgumentException("ReduceLROnPlateau: mode and thresholdMode must not be null");
        if (!(factor >= 0 && factor < 1)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1) but was " + factor);
        if (patience < 0) throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0 but was " + patience);
        if (cooldown < 0) throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0 but was " + cooldown);
        if (!(threshold >= 0)) throw new IllegalArgumentException("ReduceLROnPlateau: threshold must be >= 0 but was " + threshold);
        if (!(eps >= 0)) throw new IllegalArgumentException("ReduceLROnPlateau: eps must be >= 0 but was " + eps);
        if (minLrs.length != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("ReduceLROnPlateau: expected " + optimizer.paramGroups().size() + " minLrs (one per param group), got " + minLrs.length);
        }
        for (double m : minLrs) if (!(m >= 0)) throw new IllegalArgumentException("ReduceLROnPlateau: minLr must be >= 0 but got " + Arrays.toString(minLrs));
        this.optimizer = optimizer;
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.minLrs = minLrs.clone();
        this.eps = eps;
        this.best = worst();
        this.lastLr = currentLrs();
    }

    private static double[] filled(Optimizer optimizer, double v) {
        double[] a = new double[optimizer.paramGroups().size()];
        Arrays.fill(a, v);
        return a;
    }

    private double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private boolean isBetter(double a, double best) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? a < best * (1. - threshold) : a < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.) : a > best + threshold;
        };
    }

    /** Records one epoch's metric and reduces the learning rates if it has plateaued. */
    public void step(double metric) {
        double current = (float) metric;
        lastEpoch++;
        if (isBetter(current, best)) {
            best = current;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr();
                double lowered = Math.max(old * factor, minLrs[i]);
                if (old - lowered > eps) optimizer.setLr(i, lowered);
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    /** The learning rates after the last {@link #step(double)} (the current ones before the first). */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The best metric so far (±infinity before the first step). */
    public double best() {
        return best;
    }

    /** Epochs since the last improvement (reset after a reduction and during cooldown). */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    private double[] currentLrs() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    /** {@code last_epoch}, {@code best}, {@code num_bad_epochs}, {@code cooldown_counter} (rank 0) and {@code last_lr}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", Tensor.scalar(lastEpoch));
        out.put("best", Tensor.scalar((float) best));
        out.put("num_bad_epochs", Tensor.scalar(numBadEpochs));
        out.put("cooldown_counter", Tensor.scalar(cooldownCounter));
        out.put("last_lr", LrScheduler.vector(lastLr));
        return out;
    }

    /** Restores a {@link #stateDict()}; checks key names and shapes. */
    public void loadStateDict(Map<String, Tensor> dict) {
        String op = "ReduceLROnPlateau.loadStateDict";
        LrScheduler.checkKeys(op, dict, Set.of("last_epoch", "best", "num_bad_epochs", "cooldown_counter", "last_lr"));
        float epoch = LrScheduler.scalar(op, dict, "last_epoch"), b = LrScheduler.scalar(op, dict, "best");
        float bad = LrScheduler.scalar(op, dict, "num_bad_epochs"), cool = LrScheduler.scalar(op, dict, "cooldown_counter");
        double[] last = LrScheduler.vector(op, dict, "last_lr", optimizer.paramGroups().size());
        lastEpoch = (int) epoch;
        best = b;
        numBadEpochs = (int) bad;
        cooldownCounter = (int) cool;
        lastLr = last;
    }
}
