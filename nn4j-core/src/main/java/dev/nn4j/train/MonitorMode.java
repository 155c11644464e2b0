package dev.nn4j.train;

/**
 * Whether a monitored epoch metric is better when lower ({@code MIN}: losses) or higher ({@code MAX}: accuracies),
 * or decided from its name ({@code AUTO}, as Keras: names containing {@code acc}, {@code f1}, {@code precision},
 * {@code recall} or {@code auc} are maximised, everything else minimised).
 */
public enum MonitorMode {
    MIN, MAX, AUTO;

    /** {@code MIN} or {@code MAX} for the metric {@code monitor}. */
    public MonitorMode resolve(String monitor) {
        if (this != AUTO) return this;
        String m = monitor.toLowerCase(java.util.Locale.ROOT);
        for (String up : new String[] {"acc", "f1", "precision", "recall", "auc"}) if (m.contains(up)) return MAX;
        return MIN;
    }

    /** True when {@code current} beats {@code best} by more than {@code minDelta} (never for NaN); needs a resolved mode. */
    boolean isBetter(double current, double best, double minDelta) {
        return switch (this) {
            case MIN -> current < best - minDelta;
            case MAX -> current > best + minDelta;
            case AUTO -> throw new IllegalStateException("MonitorMode.AUTO must be resolved against a metric name first");
        };
    }

    /** The value every real metric beats: +∞ for MIN, −∞ for MAX. */
    double worst() {
        return this == MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
}
