package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * The parameters, buffers and forward shared by {@link BatchNorm1d} and {@link BatchNorm2d} (which differ only in
 * the input ranks they accept). Package-private: a helper each layer owns, not a base class.
 */
final class BatchStats {
    private final String layer;
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;

    /** Registers {@code weight, bias, running_mean, running_var, num_batches_tracked} on {@code owner}, in PyTorch's order. */
    BatchStats(Module owner, String layer, int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException(layer + ": numFeatures must be positive but was " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(layer + ": eps must be positive but was " + eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(layer + ": momentum must be in [0, 1] (or null for a cumulative average) but was " + momentum);
        }
        this.layer = layer;
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? owner.registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? owner.registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = trackRunningStats ? owner.registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        this.runningVar = trackRunningStats ? owner.registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        this.numBatchesTracked = trackRunningStats ? owner.registerBuffer("num_batches_tracked", Tensor.scalar(0)) : null;
    }

    /** {@code [1, C, 1, …]} of the given rank, to broadcast per-channel values against {@code [N, C, *]}. */
    static int[] channelShape(int rank, int channels) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 1);
        s[1] = channels;
        return s;
    }

    /** Checks that {@code x} is {@code [N, numFeatures, *]} with a rank in {@code ranks}; {@code expected} describes them. */
    void checkInput(Tensor x, String expected, int... ranks) {
        boolean rankOk = false;
        for (int r : ranks) rankOk |= x.dim() == r;
        if (!rankOk || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(layer + " expects input " + expected + " with C = " + numFeatures
                    + " (numFeatures) but input shape is " + Shape.str(x.shape()));
        }
    }

    Tensor forward(Tensor x, boolean training) {
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

    /** {@code v} as Python's {@code repr(float)} writes it ({@code 1e-05}, {@code 0.001}, {@code 0.1}), for PyTorch-style printing. */
    static String pyFloat(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) return s;
        int exp = Integer.parseInt(s.substring(e + 1));
        String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
        if (exp >= -4 && exp < 16) {
            String plain = new java.math.BigDecimal(mantissa + "E" + exp).toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exp));
    }

    String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : pyFloat(momentum))
                + ", affine=" + (weight != null ? "True" : "False") + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
