package dev.nn4j.train;

import java.util.List;
import java.util.Map;

/**
 * What {@link Trainer#fit} returns: the metrics of every completed epoch (including those before a resume, read
 * back from the checkpoint) and, when training ended before its last epoch, why.
 *
 * @param epochs     completed epochs in order
 * @param stopReason the message given to {@link Trainer#requestStop}, or null when all epochs ran
 */
public record History(List<Epoch> epochs, String stopReason) {
    /** One completed epoch: its number (from 1) and its metrics, as passed to {@link Callback#onEpochEnd}. */
    public record Epoch(int epoch, Map<String, Double> metrics) {
        public Epoch {
            metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        }

        /** The metric {@code name}, or NaN when this epoch has none by that name. */
        public double get(String name) {
            Double v = metrics.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    public History {
        epochs = List.copyOf(epochs);
    }

    /** True when a callback or the user stopped training early. */
    public boolean stopped() {
        return stopReason != null;
    }

    /** The last completed epoch, or null when none completed. */
    public Epoch last() {
        return epochs.isEmpty() ? null : epochs.getLast();
    }
}
