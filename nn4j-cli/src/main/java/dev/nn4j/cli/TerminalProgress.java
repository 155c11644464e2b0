package dev.nn4j.cli;

import dev.nn4j.train.BatchProgress;
import dev.nn4j.train.Callback;
import dev.nn4j.train.History;
import dev.nn4j.train.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;
import java.util.Map;

/**
 * The live progress bar shown when stdout is a terminal (the me.tongfei progressbar library): one bar per epoch
 * with the batch count, running loss and accuracy, samples per second and the ETA. The per-epoch summary lines
 * come from {@link dev.nn4j.train.ProgressPrinter}.
 */
final class TerminalProgress implements Callback {
    private ProgressBar bar;

    @Override
    public void onEpochBegin(Trainer trainer, int epoch) {
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, trainer.epochs()))
                .setInitialMax(trainer.batchesPerEpoch())
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setUnit(" batches", 1)
                .continuousUpdate()
                .build();
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchProgress p) {
        bar.stepTo(p.batch());
        String accuracy = Double.isNaN(p.runningAccuracy()) ? "" : String.format(Locale.ROOT, " acc %.2f%%", 100 * p.runningAccuracy());
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s %.0f samples/s", p.runningLoss(), accuracy, p.samplesPerSecond()));
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {
        close();
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
