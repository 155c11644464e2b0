package dev.nn4j.train;

import dev.nn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stops training when a monitored epoch metric has not improved for {@code patience} epochs, as Keras's
 * {@code EarlyStopping}, and optionally puts back the weights of the best epoch when training ends.
 * <pre>
 * each epoch:  if better(m, best):  best ← m, wait ← 0, remember the weights (restoreBestWeights)
 *              else:                wait ← wait + 1;  if wait ≥ patience: stop
 * better(m, best) = m &lt; best − minDelta  (MIN)     m > best + minDelta  (MAX)
 * </pre>
 * Its state (best value and epoch, wait, best weights) is saved in resume checkpoints.
 *
 * <p><b>Parameters:</b> {@code monitor} (an epoch metric such as {@code val_loss} or {@code val_accuracy}),
 * {@code mode} (MIN, MAX or AUTO from the name), {@code patience} (≥ 0), {@code minDelta} (≥ 0, the smallest change
 * that counts as an improvement), {@code restoreBestWeights}.
 * Reference: <a href="https://keras.io/api/callbacks/early_stopping/">Keras EarlyStopping</a>.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final MonitorMode mode;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;

    private double best;
    private int bestEpoch, wait;
    private Map<String, Tensor> bestWeights;

    /** AUTO mode, no minimum delta, the final weights kept. */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, MonitorMode.AUTO, patience, 0, false);
    }

    public EarlyStopping(String monitor, MonitorMode mode, int patience, double minDelta, boolean restoreBestWeights) {
        if (monitor == null || monitor.isBlank()) throw new IllegalArgumentException("EarlyStopping: monitor must name an epoch metric such as val_loss");
        if (mode == null) throw new IllegalArgumentException("EarlyStopping: mode must not be null");
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience must be >= 0 but was " + patience);
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) throw new IllegalArgumentException("EarlyStopping: minDelta must be finite and >= 0 but was " + minDelta);
        this.monitor = monitor;
        this.mode = mode.resolve(monitor);
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
        this.best = this.mode.worst();
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {
        double current = Trainer.monitored(metrics, monitor, "EarlyStopping");
        if (mode.isBetter(current, best, minDelta)) {
            best = current;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) bestWeights = snapshot(trainer.model().stateDict());
            return;
        }
        wait++;
        if (wait >= patience) {
            trainer.requestStop(String.format(Locale.ROOT, "early stopping: %s has not improved on %s (epoch %d) for %d epoch%s",
                    monitor, Float.toString((float) best), bestEpoch, wait, wait == 1 ? "" : "s"));
        }
    }

    /** Puts the best epoch's weights back, if asked to and if a later epoch changed them. */
    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        if (restoreBestWeights && bestWeights != null && bestEpoch != trainer.epoch()) trainer.model().loadStateDict(bestWeights);
    }

    /** The best value of the monitored metric so far (the mode's worst, ±∞, before the first epoch). */
    public double best() {
        return best;
    }

    /** The epoch of {@link #best()}, 0 before the first epoch. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Epochs since the last improvement. */
    public int waited() {
        return wait;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", Tensor.scalar((float) best));
        out.put("best_epoch", Tensor.scalar(bestEpoch));
        out.put("wait", Tensor.scalar(wait));
        if (bestWeights != null) bestWeights.forEach((k, v) -> out.put("weights." + k, v));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        for (String key : new String[] {"best", "best_epoch", "wait"}) {
            if (!state.containsKey(key)) throw new IllegalArgumentException("EarlyStopping.loadStateDict: missing key '" + key + "'");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("weights.")) weights.put(k.substring("weights.".length()), v);
            else if (!k.equals("best") && !k.equals("best_epoch") && !k.equals("wait")) {
                throw new IllegalArgumentException("EarlyStopping.loadStateDict: unexpected key '" + k + "'");
            }
        });
        best = state.get("best").item();
        bestEpoch = (int) state.get("best_epoch").item();
        wait = (int) state.get("wait").item();
        bestWeights = weights.isEmpty() ? null : snapshot(weights);
    }

    private static Map<String, Tensor> snapshot(Map<String, Tensor> state) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }
}
