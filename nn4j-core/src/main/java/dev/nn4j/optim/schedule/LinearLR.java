package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Optimizer;

/**
 * Linear warm-up (or decay) of the learning-rate factor from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, then constant, as PyTorch's {@code LinearLR}; reproduces its recursive formula:
 *
 * <pre>
 * closed form:  lr_e = lr₀ · (s + (f − s)·min(e, N)/N)
 * recursive:    lr_0 = lr₀·s;   lr_e = lr_{e−1} · (1 + (f − s) / (N·s + (e − 1)·(f − s)))  for 1 ≤ e ≤ N
 * </pre>
 *
 * <p><b>Parameters</b>: {@code startFactor} s (default 1/3) in (0, 1]; {@code endFactor} f (default 1) in [0, 1];
 * {@code totalIters} N (default 5) ≥ 1.
 * Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.LinearLR.html">LinearLR</a>.
 */
public final class LinearLR extends LrScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        if (!(startFactor > 0 && startFactor <= 1)) throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1] but was " + startFactor);
        if (!(endFactor >= 0 && endFactor <= 1)) throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1] but was " + endFactor);
        if (totalIters < 1) throw new IllegalArgumentException("LinearLR: totalIters must be >= 1 but was " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        int e = lastEpoch();
        double[] lrs = currentLrs();
        for (int i = 0; i < lrs.length; i++) {
            if (e == 0) lrs[i] *= startFactor;
            else if (e <= totalIters) lrs[i] *= 1. + (endFactor - startFactor) / (totalIters * startFactor + (e - 1) * (endFactor - startFactor));
        }
        return lrs;
    }
}
