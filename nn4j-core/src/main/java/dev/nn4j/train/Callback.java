package dev.nn4j.train;

import dev.nn4j.tensor.Tensor;

import java.util.Map;

/**
 * A hook into {@link Trainer#fit}: every method has a no-op default, so a callback overrides only what it needs.
 * Callbacks run in the order they were added. To end training, call {@link Trainer#requestStop(String)}.
 *
 * <p>The order of calls in one run:
 * <pre>
 * onTrainBegin
 * for each epoch:  onEpochBegin → (one training step, then onBatchEnd) × batches → validation → onEpochEnd
 * onTrainEnd       (also after a stop request or an abandoned epoch; not when fit throws)
 * </pre>
 * A stop requested during {@code onBatchEnd} abandons the epoch after that batch: no validation, no
 * {@code onEpochEnd} and no checkpoint for it, so the files of the last completed epoch stay as they were (this is
 * how {@link NaNGuard} keeps a good checkpoint). A stop requested during {@code onEpochEnd} lets the remaining
 * callbacks and the checkpoint of that epoch run, then ends training.
 *
 * <p><b>State.</b> A callback whose decisions depend on past epochs (best metric, patience counter, best weights)
 * returns that state from {@link #stateDict()}; {@link Checkpoint} stores it with the rest of the run and gives it
 * back through {@link #loadStateDict(Map)} on resume, so a resumed run decides exactly as an uninterrupted one.
 */
public interface Callback {
    /** Before the first epoch of {@code fit} (after a checkpoint was loaded, when resuming). */
    default void onTrainBegin(Trainer trainer) {}

    /** Before epoch {@code epoch} (counted from 1). */
    default void onEpochBegin(Trainer trainer, int epoch) {}

    /** After each optimizer step; {@code progress} carries everything a live progress bar shows. */
    default void onBatchEnd(Trainer trainer, BatchProgress progress) {}

    /**
     * After validation, with the epoch's metrics under the names in {@link Trainer} ({@code train_loss},
     * {@code train_accuracy}, {@code val_loss}, {@code val_accuracy}, {@code lr}, {@code seconds}); read-only.
     */
    default void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {}

    /** When {@code fit} returns, normally or after a stop request; {@code history} holds every completed epoch. */
    default void onTrainEnd(Trainer trainer, History history) {}

    /** State to save in a resume checkpoint (empty for stateless callbacks); keys are this callback's own. */
    default Map<String, Tensor> stateDict() {
        return Map.of();
    }

    /** Restores what {@link #stateDict()} returned; called before {@link #onTrainBegin} when resuming. */
    default void loadStateDict(Map<String, Tensor> state) {}
}
