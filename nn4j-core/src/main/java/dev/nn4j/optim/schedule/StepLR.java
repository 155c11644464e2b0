package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Optimizer;

/**
 * Multiplies every group's learning rate by {@code gamma} every {@code stepSize} epochs, as PyTorch's
 * {@code StepLR}: {@code lr_e = initial_lr · gamma^⌊e / stepSize⌋} (computed recursively from the current rate).
 *
 * <p><b>Parameters</b>: {@code stepSize} ≥ 1; {@code gamma} (default 0.1) ≥ 0.
 * Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.StepLR.html">StepLR</a>.
 */
public final class StepLR extends LrScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize < 1) throw new IllegalArgumentException("StepLR: stepSize must be >= 1 but was " + stepSize);
        if (!(gamma >= 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("StepLR: gamma must be finite and >= 0 but was " + gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch() == 0 || lastEpoch() % stepSize != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }
}
