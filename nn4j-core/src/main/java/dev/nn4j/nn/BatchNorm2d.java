package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;

/**
 * Batch normalisation for {@code [N, C, H, W]} input, as {@code torch.nn.BatchNorm2d}:
 * {@code y = (x − E[x]) / √(Var[x] + eps) · weight + bias} (per channel over the batch and the spatial positions). In training mode the statistics are those of
 * the batch (biased variance) and the running statistics are updated as
 * {@code running = (1 − momentum)·running + momentum·batch} with the <i>unbiased</i> batch variance; in eval mode
 * (or always, when {@code trackRunningStats} is false) the running statistics are used. Composed from tensor ops.
 *
 * <p><b>Shapes:</b> input {@code [N, C, H, W]} with {@code C = numFeatures}, output the same shape.
 *
 * <p><b>Parameters</b> (when {@code affine}): {@code weight} {@code [C]} (ones) and {@code bias} {@code [C]} (zeros).
 * <b>Buffers</b> (when {@code trackRunningStats}): {@code running_mean} {@code [C]} (zeros), {@code running_var}
 * {@code [C]} (ones) and {@code num_batches_tracked} (a scalar, 0; stored as a float).
 *
 * <p>Reference: Ioffe and Szegedy, <i>Batch Normalization</i> (2015);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.BatchNorm2d.html">torch.nn.BatchNorm2d</a>.
 */
public final class BatchNorm2d extends Module {
    private final BatchStats stats;

    /** With {@code eps = 1e-5}, {@code momentum = 0.1}, affine parameters and running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** {@code momentum} null means a cumulative moving average ({@code 1 / num_batches_tracked}), as PyTorch's None. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this.stats = new BatchStats(this, "BatchNorm2d", numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor x) {
        stats.checkInput(x, "[N, C, H, W]", 4);
        return stats.forward(x, isTraining());
    }

    /** The per-channel scale {@code [C]}, or null without {@code affine}. */
    public Tensor weight() {
        return stats.weight;
    }

    /** The per-channel shift {@code [C]}, or null without {@code affine}. */
    public Tensor bias() {
        return stats.bias;
    }

    /** The running mean buffer {@code [C]}, or null without {@code trackRunningStats}. */
    public Tensor runningMean() {
        return stats.runningMean;
    }

    /** The running (unbiased) variance buffer {@code [C]}, or null without {@code trackRunningStats}. */
    public Tensor runningVar() {
        return stats.runningVar;
    }

    /** The number of training batches seen (a scalar), or null without {@code trackRunningStats}. */
    public Tensor numBatchesTracked() {
        return stats.numBatchesTracked;
    }

    @Override
    protected String extraRepr() {
        return stats.extraRepr();
    }
}
