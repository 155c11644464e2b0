package dev.nn4j.optim.schedule;

import dev.nn4j.optim.Optimizer;

/**
 * Cosine annealing from each group's initial rate down to {@code etaMin} over {@code tMax} epochs and back up
 * over the next {@code tMax} (no restart), as PyTorch's {@code CosineAnnealingLR}, whose recursive formula this
 * reproduces step for step:
 *
 * <pre>
 * closed form:  lr_e = η_min + (lr₀ − η_min)·(1 + cos(π·e/T_max))/2
 * recursive:    lr_e = (1 + cos(π·e/T_max)) / (1 + cos(π·(e−1)/T_max)) · (lr_{e−1} − η_min) + η_min
 *               at e − 1 − T_max ≡ 0 (mod 2·T_max):  lr_e = lr_{e−1} + (lr₀ − η_min)·(1 − cos(π/T_max))/2
 * </pre>
 *
 * <p><b>Parameters</b>: {@code tMax} ≥ 1; {@code etaMin} (default 0) ≥ 0.
 * Reference: Loshchilov &amp; Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017;
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html">CosineAnnealingLR</a>.
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax < 1) throw new IllegalArgumentException("CosineAnnealingLR: tMax must be >= 1 but was " + tMax);
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) throw new IllegalArgumentException("CosineAnnealingLR: etaMin must be finite and >= 0 but was " + etaMin);
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        int e = lastEpoch();
        double[] lrs = currentLrs(), base = baseLrs();
        if (e == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) {
            if ((e - 1 - tMax) % (2 * tMax) == 0) {
                lrs[i] = lrs[i] + (base[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lrs[i] = (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) * (lrs[i] - etaMin) + etaMin;
            }
        }
        return lrs;
    }
}
