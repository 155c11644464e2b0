package dev.nn4j.train;

import java.util.Locale;
import java.util.Map;

/**
 * Stops training as soon as the loss, an epoch metric or a weight becomes NaN or infinite, with a message naming
 * the epoch and batch. A stop from {@code onBatchEnd} abandons the epoch, so neither the trainer's resume
 * checkpoint nor {@link ModelCheckpoint} writes anything for it: the files of the last good epoch stay intact.
 * <pre>
 * after each batch:  loss not finite                               → stop
 * after each epoch:  a metric or a parameter element not finite    → stop
 * </pre>
 * The stop reason reads, for example, {@code "NaN/Inf guard: the training loss is NaN at epoch 3, batch 17 of 50;
 * stopped, the checkpoints of epoch 2 are kept"}.
 */
public final class NaNGuard implements Callback {
    private String tripped;

    @Override
    public void onBatchEnd(Trainer trainer, BatchProgress p) {
        if (!Double.isFinite(p.loss())) {
            stop(trainer, String.format(Locale.ROOT, "the training loss is %s at epoch %d, batch %d of %d",
                    p.loss(), p.epoch(), p.batch(), p.batchesPerEpoch()), p.epoch() - 1);
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {
        for (var e : metrics.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                stop(trainer, String.format(Locale.ROOT, "%s is %s at the end of epoch %d", e.getKey(), e.getValue(), epoch), epoch - 1);
                return;
            }
        }
        trainer.model().namedParameters().forEach((name, t) -> {
            if (tripped == null && !Trainer.allFinite(java.util.List.of(t))) {
                stop(trainer, "parameter " + name + " holds NaN or infinite values at the end of epoch " + epoch, epoch - 1);
            }
        });
    }

    /** The message of the stop this guard requested, or null. */
    public String tripped() {
        return tripped;
    }

    private void stop(Trainer trainer, String what, int lastGood) {
        tripped = "NaN/Inf guard: " + what + "; stopped, "
                + (lastGood > 0 ? "the checkpoints of epoch " + lastGood + " are kept" : "no epoch completed, so there is no checkpoint");
        trainer.requestStop(tripped);
    }
}
