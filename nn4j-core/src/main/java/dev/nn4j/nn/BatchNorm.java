package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * Batch normalisation, shared by {@link BatchNorm1d} and {@link BatchNorm2d}, which differ only in the input ranks
 * they accept (PyTorch's {@code _BatchNorm}): {@code y = (x − E[x]) / √(Var[x] + eps) · weight + bias} per channel.
 * In training mode the statistics are those of the batch (biased variance) and the running statistics are updated
 * as {@code running = (1 − momentum)·running + momentum·batch} with the <i>unbiased</i> batch variance; in eval mode
 * (or always, when {@code trackRunningStats} is false) the running statistics are used. Composed from tensor ops.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    private final String layer, expected;
    private final int[] ranks;
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;

    /**
     * Registers {@code weight, bias, running_mean, running_var, num_batches_tracked} in PyTorch's order; inputs must
     * have one of {@code ranks} ({@code expected} describes them in errors).
     */
    BatchNorm(String layer, String expected, int[] ranks, int numFeatures, double eps, Double momentum, boolean affine,
              boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException(layer + ": numFeatures must be positive but was " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(layer + ": eps must be positive but was " + eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(layer + ": momentum must be in [0, 1] (or null for a cumulative average) but was " + momentum);
        }
        this.layer = layer;
        this.expected = expected;
        this.ranks = ranks;
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        this.numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.scalar(0)) : null;
    }

    /** {@code [1, C, 1, …]} of the given rank, to broadcast per-channel values against {@code [N, C, *]}. */
    static int[] channelShape(int rank, int channels) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 1);
        s[1] = channels;
        return s;
    }

    private void checkInput(Tensor x) {
        boolean rankOk = false;
        for (int r : ranks) rankOk |= x.dim() == r;
        if (!rankOk || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(layer + " expects input " + expected + " with C = " + numFeatures
                    + " (numFeatures) but input shape is " + Shape.str(x.shape()));
        }
    }

    @Override
    public final Tensor forward(Tensor x) {
        checkInput(x);
        boolean training = isTraining();
        int rank = x.dim(), count = x.numel() / numFeatures;
        int[] dims = new int[rank - 1];
        for (int i = 0, j = 0; i < rank; i++) if (i != 1) dims[j++] = i;
        int[] cs = channelShape(rank, numFeatures);
        Tensor y;
        if (training || runningMean == null) {
            if (training && count <= 1) {
                throw new IllegalArgumentException(layer + ": expected more than 1 value per channel when training, but input shape is "
                        + Shape.str(x.shape()) + "; use eval() or a larger batch");
            }
            // normalise by the batch mean and the biased variance
            Tensor mean = x.mean(dims, true);
            Tensor centred = x.sub(mean);
            Tensor variance = centred.mul(centred).mean(dims, true);
            y = centred.mul(variance.add((float) eps).rsqrt());
            if (training && runningMean != null) updateRunningStats(mean.toFloatArray(), variance.toFloatArray(), count);
        } else {
            y = x.sub(runningMean.reshape(cs)).mul(runningVar.add((float) eps).rsqrt().reshape(cs));
        }
        return weight == null ? y : y.mul(weight.reshape(cs)).add(bias.reshape(cs));
    }

    /**
     * {@code running = (1 − f)·running + f·batch} with {@code f = momentum} (or {@code 1 / num_batches_tracked} when
     * momentum is null), using the unbiased batch variance {@code var · n / (n − 1)} as PyTorch does. In place; no graph.
     */
    private void updateRunningStats(float[] mean, float[] biasedVar, int n) {
        float[] tracked = numBatchesTracked.array();
        tracked[0] += 1;
        double f = momentum != null ? momentum : 1.0 / tracked[0];
        float[] rm = runningMean.array(), rv = runningVar.array();
        double bessel = (double) n / (n - 1);
        for (int c = 0; c < numFeatures; c++) {
            rm[c] = (float) ((1 - f) * rm[c] + f * mean[c]);
            rv[c] = (float) ((1 - f) * rv[c] + f * biasedVar[c] * bessel);
        }
    }

    public int numFeatures() {
        return numFeatures;
    }

    public double eps() {
        return eps;
    }

    /** The running-average factor, or null for a cumulative average. */
    public Double momentum() {
        return momentum;
    }

    /** The per-channel scale {@code [C]}, or null without {@code affine}. */
    public Tensor weight() {
        return weight;
    }

    /** The per-channel shift {@code [C]}, or null without {@code affine}. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean buffer {@code [C]}, or null without {@code trackRunningStats}. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance buffer {@code [C]}, or null without {@code trackRunningStats}. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** The number of training batches seen (a scalar), or null without {@code trackRunningStats}. */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pythonFloat(eps) + ", momentum=" + (momentum == null ? "None" : pythonFloat(momentum))
                + ", affine=" + (weight != null ? "True" : "False") + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
