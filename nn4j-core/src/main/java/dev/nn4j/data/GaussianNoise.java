package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * Additive Gaussian noise, {@code out = x + std·ε} with {@code ε ~ N(0, 1)} drawn for every value in row-major
 * order. Not clipped, so pixels may leave [0, 1] slightly, as in torchvision's {@code GaussianNoise(clip=False)}.
 *
 * <p><b>Shapes:</b> any {@code [B, …]}; output the same shape. Reference:
 * <a href="https://pytorch.org/vision/stable/generated/torchvision.transforms.v2.GaussianNoise.html">torchvision GaussianNoise</a>.
 */
public final class GaussianNoise implements Transform {
    private final double std;

    /**
     * Noise of the given standard deviation.
     *
     * @param std standard deviation of the noise, at least 0
     */
    public GaussianNoise(double std) {
        if (!(std >= 0 && Double.isFinite(std))) throw new IllegalArgumentException("GaussianNoise: std must be finite and at least 0 but was " + std);
        this.std = std;
    }

    @Override
    public Tensor apply(Tensor inputs, Generator generator) {
        float[] x = inputs.toFloatArray();
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] + std * generator.nextGaussian());
        return Tensor.fromArray(x, inputs.shape());
    }

    @Override
    public String toString() {
        return "GaussianNoise(std=" + std + ")";
    }
}
