package dev.nn4j.nn;

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
public final class BatchNorm2d extends BatchNorm {
    /** With {@code eps = 1e-5}, {@code momentum = 0.1}, affine parameters and running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** {@code momentum} null means a cumulative moving average ({@code 1 / num_batches_tracked}), as PyTorch's None. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super("BatchNorm2d", "[N, C, H, W]", new int[] {4}, numFeatures, eps, momentum, affine, trackRunningStats);
    }
}
