package dev.nn4j.nn;

import dev.nn4j.nn.init.Init;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * A lookup table, as {@code torch.nn.Embedding}: {@code y[…, :] = weight[index[…], :]}. Indices are whole numbers
 * stored as floats (nn4j tensors are float32). The row at {@code paddingIdx}, if any, is returned as it is but
 * receives no gradient, so it stays at its value (zero from initialisation) while the rest trains.
 *
 * <p><b>Shapes:</b> input {@code [*]} of indices in {@code [0, numEmbeddings)}, output {@code [*, embeddingDim]}.
 *
 * <p><b>Parameters:</b> {@code weight} {@code [numEmbeddings, embeddingDim]}, initialised N(0, 1) with the
 * {@code paddingIdx} row set to zero.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Embedding.html">torch.nn.Embedding</a>.
 */
public final class Embedding extends Module {
    private final int numEmbeddings, embeddingDim;
    private final Integer paddingIdx;
    private final Tensor weight;

    /** Without a padding index, initialised from the global generator. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, Generator.global());
    }

    /**
     * {@code paddingIdx} may be null (none) or in {@code [−numEmbeddings, numEmbeddings)}; a negative value counts
     * from the end, as in PyTorch.
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator gen) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: numEmbeddings and embeddingDim must be positive but were " + numEmbeddings + " and " + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: paddingIdx must be within [" + -numEmbeddings + ", " + numEmbeddings + ") but was " + paddingIdx);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.weight = registerParameter("weight", Init.normal(Tensor.zeros(numEmbeddings, embeddingDim), 0, 1, gen));
        if (this.paddingIdx != null) {
            float[] w = weight.array();
            java.util.Arrays.fill(w, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim, 0f);
        }
    }

    @Override
    public Tensor forward(Tensor index) {
        float[] idx = index.toFloatArray();
        for (int i = 0; i < idx.length; i++) {
            float v = idx[i];
            if (v != Math.rint(v) || v < 0 || v >= numEmbeddings) {
                throw new IndexOutOfBoundsException("Embedding: index " + v + " (element " + i + " of the input of shape " + Shape.str(index.shape())
                        + ") is not a whole number in [0, " + numEmbeddings + ") (numEmbeddings = " + numEmbeddings + ")");
            }
        }
        Tensor flat = Tensor.fromArray(idx, idx.length);
        Tensor rows = weight.indexSelect(0, flat);
        if (paddingIdx != null) {
            // padding positions take the detached row: same value, no gradient into weight[paddingIdx]
            Tensor isPadding = flat.eq((float) paddingIdx).unsqueeze(1);
            rows = Tensor.where(isPadding, rows.detach(), rows);
        }
        int[] outShape = java.util.Arrays.copyOf(index.shape(), index.dim() + 1);
        outShape[index.dim()] = embeddingDim;
        return rows.reshape(outShape);
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The padding index (non-negative), or null when there is none. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    /** The table, {@code [numEmbeddings, embeddingDim]}. */
    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
