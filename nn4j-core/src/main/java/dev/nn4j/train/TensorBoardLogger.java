package dev.nn4j.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Writes each epoch's metrics as TensorBoard scalars ({@code train/loss}, {@code train/accuracy},
 * {@code val/loss}, {@code val/accuracy}, {@code lr}), with the epoch as the step, flushing after every
 * epoch so a crash leaves a readable file. Opens the event file when training begins and closes it at the end.
 */
public final class TensorBoardLogger implements Callback {
    private final Path logDir;
    private TensorBoardWriter writer;

    public TensorBoardLogger(Path logDir) {
        this.logDir = logDir;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        writer = new TensorBoardWriter(logDir);
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {
        metrics.forEach((name, value) -> {
            String tag = tag(name);
            if (tag != null) writer.addScalar(tag, value.floatValue(), epoch);
        });
        writer.flush();
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        if (writer != null) writer.close();
    }

    /** The event file, once training has begun. */
    public Path file() {
        return writer == null ? null : writer.file();
    }

    /** {@code train_loss} → {@code train/loss}, {@code lr} → {@code lr}; {@code seconds} is not plotted. */
    static String tag(String metric) {
        if (metric.equals(Trainer.SECONDS)) return null;
        int underscore = metric.indexOf('_');
        return underscore < 0 ? metric : metric.substring(0, underscore) + "/" + metric.substring(underscore + 1);
    }
}
