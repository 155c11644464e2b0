package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Optimizer;

/**
 * Multiplies every group's learning rate by {@code gamma} every epoch, as PyTorch's {@code ExponentialLR}:
 * {@code lr_e = initial_lr · gammaᵉ} (computed recursively from the current rate).
 *
 * <p><b>Parameters</b>: {@code gamma} ≥ 0 (no default, as in PyTorch).
 * Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ExponentialLR.html">ExponentialLR</a>.
 */
public final class ExponentialLR extends LrScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("ExponentialLR: gamma must be finite and >= 0 but was " + gamma);
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch() == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }
}
