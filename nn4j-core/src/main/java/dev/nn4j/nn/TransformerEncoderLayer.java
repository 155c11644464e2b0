package dev.nn4j.nn;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

/**
 * One Transformer encoder block, self-attention then a two-layer feed-forward network, each with a residual
 * connection and layer normalisation, as {@code torch.nn.TransformerEncoderLayer} (PyTorch 1.13):
 * <pre>
 * post-norm (normFirst = false):  x = norm1(x + SA(x));        x = norm2(x + FF(x))
 * pre-norm  (normFirst = true):   x = x + SA(norm1(x));        x = x + FF(norm2(x))
 * SA(x) = dropout1(self_attn(x, x, x, mask))                  FF(x) = dropout2(linear2(dropout(act(linear1(x)))))
 * </pre>
 * with {@code act} ReLU or GELU (exact). Masks pass through to {@link MultiheadAttention}.
 *
 * <p><b>Shapes:</b> input and output {@code [S, B, dModel]} ({@code [B, S, dModel]} with {@code batchFirst},
 * {@code [S, dModel]} unbatched); {@code srcMask} {@code [S, S]} or {@code [B·nhead, S, S]} (additive);
 * {@code srcKeyPaddingMask} {@code [B, S]} (non-zero = ignore).
 *
 * <p><b>Parameters</b> (PyTorch's names): {@code self_attn.in_proj_weight}, {@code self_attn.in_proj_bias},
 * {@code self_attn.out_proj.weight}, {@code self_attn.out_proj.bias} (see {@link MultiheadAttention}),
 * {@code linear1} {@code dModel → dimFeedforward} and {@code linear2} {@code dimFeedforward → dModel} (Linear's
 * default initialisation), {@code norm1}, {@code norm2} (ones and zeros). Children {@code dropout},
 * {@code dropout1}, {@code dropout2} hold no parameters.
 *
 * <p>Reference: Vaswani et al., "Attention Is All You Need" (2017); Xiong et al., "On Layer Normalization in the
 * Transformer Architecture" (2020) for pre-norm;
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.TransformerEncoderLayer.html">torch.nn.TransformerEncoderLayer</a>.
 */
public final class TransformerEncoderLayer extends Module {
    private final int dModel, nhead, dimFeedforward;
    private final double dropoutP, layerNormEps;
    private final String activation;
    private final boolean batchFirst, normFirst;
    private final Generator gen;
    private final MultiheadAttention selfAttn;
    private final Linear linear1, linear2;
    private final Dropout dropout, dropout1, dropout2;
    private final LayerNorm norm1, norm2;

    /** PyTorch's defaults: {@code dimFeedforward 2048, dropout 0.1, relu, eps 1e-5}, sequence first, post-norm, global generator. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false, Generator.global());
    }

    /**
     * All options in PyTorch's order; {@code activation} is {@code "relu"} or {@code "gelu"}; {@code gen} draws
     * the initial weights and, in training mode, every dropout mask.
     */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
                                   double layerNormEps, boolean batchFirst, boolean normFirst, Generator gen) {
        if (!"relu".equals(activation) && !"gelu".equals(activation)) {
            throw new IllegalArgumentException("TransformerEncoderLayer: activation should be \"relu\" or \"gelu\", not \"" + activation + "\"");
        }
        if (dimFeedforward <= 0) throw new IllegalArgumentException("TransformerEncoderLayer: dimFeedforward must be positive but was " + dimFeedforward);
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropoutP = dropout;
        this.activation = activation;
        this.layerNormEps = layerNormEps;
        this.batchFirst = batchFirst;
        this.normFirst = normFirst;
        this.gen = gen;
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst, gen));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, true, gen));
        this.dropout = registerModule("dropout", new Dropout(dropout, gen));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, true, gen));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout, gen));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout, gen));
    }

    /** The block without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null, false);
    }

    /** The block with an additive {@code srcMask}, a {@code srcKeyPaddingMask} (non-zero = ignore) and/or a causal mask; each may be null/false. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask, isCausal));
            x = x.add(feedForwardBlock(norm2.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask, isCausal)));
            x = norm2.forward(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout1.forward(selfAttn.forward(x, x, x, mask, keyPaddingMask, false, isCausal).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor h = linear1.forward(x);
        h = "relu".equals(activation) ? h.relu() : h.gelu();
        return dropout2.forward(linear2.forward(dropout.forward(h)));
    }

    /**
     * A new layer with the same options and a copy of this layer's parameters (PyTorch's {@code copy.deepcopy},
     * which {@link TransformerEncoder} uses to stack clones). It shares this layer's generator, from which its
     * construction draws initial values that the copied parameters then replace.
     */
    public TransformerEncoderLayer copy() {
        TransformerEncoderLayer c = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropoutP, activation, layerNormEps,
                batchFirst, normFirst, gen);
        c.loadStateDict(stateDict());
        c.train(isTraining());
        return c;
    }

    public int dModel() {
        return dModel;
    }

    public int nhead() {
        return nhead;
    }

    public int dimFeedforward() {
        return dimFeedforward;
    }

    public double dropout() {
        return dropoutP;
    }

    /** {@code "relu"} or {@code "gelu"}. */
    public String activation() {
        return activation;
    }

    public double layerNormEps() {
        return layerNormEps;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    public boolean normFirst() {
        return normFirst;
    }

    public MultiheadAttention selfAttn() {
        return selfAttn;
    }
}
