package dev.nn4j.nn;

import dev.nn4j.nn.init.Init;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * Learned absolute positional encoding (BERT, GPT-2): a trainable vector per position added to the input,
 * {@code y[b, t, :] = x[b, t, :] + weight[t, :]}. PyTorch has no such module; it is the usual
 * {@code nn.Parameter} added to the embeddings, and {@code bench/reference/seq_models.py} writes it that way.
 *
 * <p><b>Shapes:</b> input {@code [B, T, dModel]} (batch first, or any rank ≥ 2 ending in {@code [T, dModel]}) with
 * {@code T ≤ maxLen}; output the same shape. Only the first {@code T} rows of {@code weight} are used.
 *
 * <p><b>Parameters:</b> {@code weight} {@code [maxLen, dModel]}, initialised N(0, 0.02²) as GPT-2's and BERT's
 * position embeddings are (a small scale, so that at the start the positions perturb the inputs without
 * drowning them; an {@link Embedding}'s N(0, 1) would dominate inputs of unit scale).
 *
 * <p>Reference: Devlin et al., "BERT" (2019); Radford et al., "Language Models are Unsupervised Multitask Learners" (2019).
 */
public final class LearnedPositionalEncoding extends Module {
    private final int maxLen, dModel;
    private final Tensor weight;

    /** Initialised from the global generator. */
    public LearnedPositionalEncoding(int maxLen, int dModel) {
        this(maxLen, dModel, Generator.global());
    }

    public LearnedPositionalEncoding(int maxLen, int dModel, Generator gen) {
        if (dModel <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException("LearnedPositionalEncoding: maxLen and dModel must be positive but were " + maxLen + " and " + dModel);
        }
        this.maxLen = maxLen;
        this.dModel = dModel;
        this.weight = registerParameter("weight", Init.normal(Tensor.zeros(maxLen, dModel), 0, 0.02, gen));
    }

    @Override
    public Tensor forward(Tensor x) {
        int T = PositionalEncodings.checkInput("LearnedPositionalEncoding", x, maxLen, dModel);
        return x.add(T == maxLen ? weight : weight.narrow(0, 0, T));
    }

    public int maxLen() {
        return maxLen;
    }

    public int dModel() {
        return dModel;
    }

    /** The position table, {@code [maxLen, dModel]}. */
    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return "max_len=" + maxLen + ", d_model=" + dModel;
    }
}
