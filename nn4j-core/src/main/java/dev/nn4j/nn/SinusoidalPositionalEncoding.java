package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;

/**
 * Fixed sinusoidal positional encoding, as in "Attention Is All You Need": adds to position {@code t} of each
 * sequence the vector
 * <pre>
 * pe[t, 2i]     = sin(t / 10000^(2i / dModel))
 * pe[t, 2i + 1] = cos(t / 10000^(2i / dModel))
 * </pre>
 * The table is computed once (in double, stored as float) and is not a parameter or a buffer: the layer has an
 * empty state dict, since the table follows from {@code dModel} and {@code maxLen}. An odd {@code dModel} works
 * (the last dimension gets a sine). No dropout: add a {@link Dropout} after it if wanted.
 *
 * <p><b>Shapes:</b> input {@code [B, T, dModel]} (batch first, or any rank ≥ 2 ending in {@code [T, dModel]}) with
 * {@code T ≤ maxLen}; output the same shape.
 *
 * <p>Reference: Vaswani et al., "Attention Is All You Need" (2017), section 3.5; PyTorch's
 * <a href="https://pytorch.org/tutorials/beginner/transformer_tutorial.html">transformer tutorial</a> {@code PositionalEncoding}.
 */
public final class SinusoidalPositionalEncoding extends Module {
    private final int dModel, maxLen;
    private final Tensor table;

    public SinusoidalPositionalEncoding(int dModel, int maxLen) {
        if (dModel <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: dModel and maxLen must be positive but were " + dModel + " and " + maxLen);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        float[] pe = new float[maxLen * dModel];
        for (int t = 0; t < maxLen; t++) {
            for (int j = 0; j < dModel; j++) {
                double angle = t / Math.pow(10000.0, (j - j % 2) / (double) dModel);
                pe[t * dModel + j] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        this.table = Tensor.fromArray(pe, maxLen, dModel);
    }

    @Override
    public Tensor forward(Tensor x) {
        int T = PositionalEncodings.checkInput("SinusoidalPositionalEncoding", x, maxLen, dModel);
        return x.add(table.narrow(0, 0, T));
    }

    public int dModel() {
        return dModel;
    }

    public int maxLen() {
        return maxLen;
    }

    /** A copy of the table {@code pe}, {@code [maxLen, dModel]}. */
    public Tensor table() {
        return table.copy();
    }

    @Override
    protected String extraRepr() {
        return "d_model=" + dModel + ", max_len=" + maxLen;
    }
}
