package dev.nn4j.train;

/**
 * What {@link Callback#onBatchEnd} learns after each training step: where training is (epoch, batch, global
 * step), the step's loss, the epoch's running loss and accuracy, the throughput and the learning rate. A live
 * progress bar needs nothing else.
 *
 * @param epoch            current epoch, from 1
 * @param epochs           the epoch {@code fit} trains up to
 * @param batch            batch index within the epoch, from 1
 * @param batchesPerEpoch  batches in one epoch
 * @param step             optimizer steps taken since the run started, this one included (continues across resume)
 * @param batchSize        examples in this batch
 * @param loss             this batch's loss (before the step)
 * @param runningLoss      mean loss over the epoch's examples so far
 * @param runningAccuracy  fraction of the epoch's examples so far classified correctly, or NaN when the model's
 *                         outputs are not class scores
 * @param samples          examples seen in this epoch so far
 * @param elapsedSeconds   seconds since the epoch began
 * @param lr               learning rate (of parameter group 0) this step used
 */
public record BatchProgress(int epoch, int epochs, int batch, int batchesPerEpoch, long step, int batchSize,
                            double loss, double runningLoss, double runningAccuracy, long samples,
                            double elapsedSeconds, double lr) {

    /** Examples per second over the epoch so far (0 before any time has passed). */
    public double samplesPerSecond() {
        return elapsedSeconds > 0 ? samples / elapsedSeconds : 0;
    }

    /** Estimated seconds left in this epoch's training loop, from the mean time per batch so far. */
    public double etaSeconds() {
        return batch > 0 ? elapsedSeconds / batch * (batchesPerEpoch - batch) : 0;
    }

    /** Fraction of the epoch's batches done, in [0, 1]. */
    public double fraction() {
        return batchesPerEpoch > 0 ? (double) batch / batchesPerEpoch : 1;
    }
}
