package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Optimizer;

/**
 * Multiplies every group's learning rate by {@code gamma} at each milestone epoch, as PyTorch's
 * {@code MultiStepLR}: {@code lr_e = initial_lr · gamma^(number of milestones ≤ e)}. A milestone listed twice
 * applies {@code gamma} twice.
 *
 * <p><b>Parameters</b>: {@code milestones} (epoch indices, ≥ 0); {@code gamma} (default 0.1) ≥ 0.
 * Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.MultiStepLR.html">MultiStepLR</a>.
 */
public final class MultiStepLR extends LrScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        for (int m : milestones) {
            if (m < 0) throw new IllegalArgumentException("MultiStepLR: milestones must be >= 0 but got " + java.util.Arrays.toString(milestones));
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("MultiStepLR: gamma must be finite and >= 0 but was " + gamma);
        this.milestones = milestones.clone();
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        int hits = 0;
        for (int m : milestones) if (m == lastEpoch()) hits++;
        double[] lrs = currentLrs();
        if (hits == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, hits);
        return lrs;
    }
}
