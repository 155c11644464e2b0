package dev.nn4j.train;

import dev.nn4j.io.ModelFile;
import dev.nn4j.io.ModelSpec;
import dev.nn4j.io.Safetensors;
import dev.nn4j.nn.Module;
import dev.nn4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves the model after each epoch as {@code last.safetensors} and, when a monitored metric improves,
 * as {@code best.safetensors}, both in {@code dir} and both atomic (a crash leaves the previous file whole).
 * The files are {@link ModelFile}s (architecture and weights; {@code ModelFile.load} rebuilds the model) when
 * {@link ModelSpec} can describe the model, and plain safetensors state dicts otherwise. Their metadata holds
 * {@code epoch} and every epoch metric.
 *
 * <p>An epoch whose metrics or weights are not all finite is not saved, so a run that diverges keeps its last good
 * files. The best value and epoch are saved in resume checkpoints.
 *
 * <p><b>Parameters:</b> {@code dir}, {@code monitor} (an epoch metric such as {@code val_accuracy}, or null to keep
 * only the last model), {@code mode} (MIN, MAX or AUTO from the name).
 * Reference: <a href="https://keras.io/api/callbacks/model_checkpoint/">Keras ModelCheckpoint</a>.
 */
public final class ModelCheckpoint implements Callback {
    public static final String BEST = "best.safetensors", LAST = "last.safetensors";

    private final Path dir;
    private final String monitor;
    private final MonitorMode mode;
    private double best;
    private int bestEpoch;

    /** Keeps only {@code last.safetensors}. */
    public ModelCheckpoint(Path dir) {
        this(dir, null, MonitorMode.AUTO);
    }

    public ModelCheckpoint(Path dir, String monitor, MonitorMode mode) {
        if (dir == null) throw new IllegalArgumentException("ModelCheckpoint: dir must not be null");
        if (mode == null) throw new IllegalArgumentException("ModelCheckpoint: mode must not be null");
        this.dir = dir;
        this.monitor = monitor;
        this.mode = monitor == null ? MonitorMode.MIN : mode.resolve(monitor);
        this.best = this.mode.worst();
    }

    /** Creates {@code dir} if needed. */
    @Override
    public void onTrainBegin(Trainer trainer) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("ModelCheckpoint: cannot create directory " + dir + ": " + e, e);
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {
        double current = monitor == null ? Double.NaN : Trainer.monitored(metrics, monitor, "ModelCheckpoint");
        if (!Trainer.allFinite(metrics) || !Trainer.allFinite(trainer.model().parameters())) return;   // keep the last good files
        Map<String, String> info = new LinkedHashMap<>();
        info.put("epoch", Integer.toString(epoch));
        metrics.forEach((k, v) -> info.put(k, Float.toString((float) (double) v)));
        save(dir.resolve(LAST), trainer.model(), info);
        if (monitor != null && mode.isBetter(current, best, 0)) {
            best = current;
            bestEpoch = epoch;
            info.put("monitor", monitor);
            save(dir.resolve(BEST), trainer.model(), info);
        }
    }

    /** Path of the best model file (exists once an epoch improved the monitored metric). */
    public Path bestFile() {
        return dir.resolve(BEST);
    }

    public Path lastFile() {
        return dir.resolve(LAST);
    }

    /** The best monitored value saved so far (±∞ before any) and its epoch (0 before any). */
    public double best() {
        return best;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    private static void save(Path file, Module model, Map<String, String> info) {
        boolean describable;
        try {
            ModelSpec.toJson(model);
            describable = true;
        } catch (IllegalArgumentException e) {
            describable = false;
        }
        if (describable) ModelFile.save(file, model, info);
        else Safetensors.write(file, model.stateDict(), info);
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", Tensor.scalar((float) best));
        out.put("best_epoch", Tensor.scalar(bestEpoch));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        if (!state.keySet().equals(java.util.Set.of("best", "best_epoch"))) {
            throw new IllegalArgumentException("ModelCheckpoint.loadStateDict: expected keys [best, best_epoch] but got " + state.keySet());
        }
        best = state.get("best").item();
        bestEpoch = (int) state.get("best_epoch").item();
    }
}
