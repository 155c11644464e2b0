package dev.nn4j.nn;

import dev.nn4j.nn.functional.Functional;
import dev.nn4j.nn.init.Init;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention, as {@code torch.nn.MultiheadAttention} (with {@code kdim = vdim =
 * embedDim}, no {@code bias_k}/{@code bias_v}, no zero attention): per head {@code h} with {@code d = embedDim / numHeads},
 * <pre>
 * Q = query W_qᵀ + b_q,  K = key W_kᵀ + b_k,  V = value W_vᵀ + b_v        ([W_q; W_k; W_v] = in_proj_weight)
 * head_h = softmax(Q_h K_hᵀ / √d + mask) V_h
 * output = concat(head_1 … head_H) W_oᵀ + b_o                          (out_proj)
 * </pre>
 * Composed from tensor ops (linear, batched matmul, softmax, dropout), so autograd covers it.
 *
 * <p><b>Masks</b> are additive and combined by summing: {@code attnMask} is a float mask of shape {@code [L, S]} or
 * {@code [B·numHeads, L, S]} added to the scores (PyTorch's float {@code attn_mask}); for PyTorch's boolean mask
 * (true = do not attend) pass {@link #additiveMask(Tensor)} of it. {@code keyPaddingMask} {@code [B, S]} is boolean
 * as in PyTorch: a non-zero entry means "ignore this key" and becomes {@code −∞}. {@code isCausal} adds
 * {@link #causalMask(int, int)} (position {@code i} may not attend to {@code j > i}). A query whose keys are all
 * masked gets a row of NaN, as in PyTorch 1.13; it is the caller's job to avoid fully masked rows.
 *
 * <p><b>Shapes</b> (L target length, S source length, B batch, E = embedDim): query {@code [L, B, E]}, key and value
 * {@code [S, B, E]} ({@code [B, L, E]}, {@code [B, S, E]} with {@code batchFirst}; unbatched {@code [L, E]},
 * {@code [S, E]} also work); output like the query; attention weights {@code [B, L, S]} averaged over heads or
 * {@code [B, numHeads, L, S]} (no batch dimension when unbatched).
 *
 * <p><b>Parameters:</b> {@code in_proj_weight} {@code [3E, E]} (Xavier uniform), {@code in_proj_bias} {@code [3E]}
 * (zeros), and the child Linear {@code out_proj} with {@code weight} {@code [E, E]} (Linear's default
 * initialisation) and {@code bias} {@code [E]} (zeros); the biases are absent when {@code bias = false}.
 * Dropout with probability {@code dropout} applies to the attention weights in training mode.
 *
 * <p>Reference: Vaswani et al., "Attention Is All You Need" (2017);
 * <a href="https://pytorch.org/docs/1.13/generated/torch.nn.MultiheadAttention.html">torch.nn.MultiheadAttention</a>.
 */
public final class MultiheadAttention extends Module {
    /** The attended values and, when asked for, the attention weights (otherwise null). */
    public record Output(Tensor output, Tensor weights) {
    }

    private final int embedDim, numHeads, headDim;
    private final double dropout;
    private final boolean batchFirst;
    private final Generator gen;
    private final Tensor inProjWeight, inProjBias;
    private final Linear outProj;

    /** Sequence-first, with biases, no dropout, global generator. */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, false, Generator.global());
    }

    /** All options in PyTorch's order; {@code gen} draws the initial weights and, in training, the dropout masks. */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, Generator gen) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim must be a positive multiple of numHeads, but embedDim is "
                    + embedDim + " and numHeads is " + numHeads);
        }
        Functional.checkProbability("MultiheadAttention dropout", dropout);
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.gen = gen;
        this.inProjWeight = registerParameter("in_proj_weight", Tensor.zeros(3 * embedDim, embedDim));
        this.inProjBias = bias ? registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        // as PyTorch: out_proj is built (and initialised) first, then _reset_parameters re-initialises the rest
        this.outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, gen));
        Init.xavierUniform(inProjWeight, 1.0, gen);
        if (bias) Init.zeros(outProj.bias());
    }

    /** Self-attention {@code x → attention(x, x, x)} without masks, so the layer fits in a {@link Sequential}. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, null, false, false).output();
    }

    /** Attention without masks; returns the head-averaged weights too. */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, null, true, false);
    }

    /** {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor, boolean, boolean, boolean)} with head-averaged weights. */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask, boolean needWeights, boolean isCausal) {
        return forward(query, key, value, attnMask, keyPaddingMask, needWeights, true, isCausal);
    }

    /**
     * Attention of {@code query} over {@code key}/{@code value}. {@code attnMask} (additive, or null),
     * {@code keyPaddingMask} (non-zero = ignore, or null) and {@code isCausal} combine as described in the class
     * comment. The weights are returned when {@code needWeights}, averaged over heads when {@code averageAttnWeights}.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask,
                          boolean needWeights, boolean averageAttnWeights, boolean isCausal) {
        boolean unbatched = query.dim() == 2;
        checkInputs(query, key, value, unbatched);
        Tensor q = unbatched ? query.unsqueeze(0) : batchFirst ? query : query.transpose(0, 1);
        Tensor k = unbatched ? key.unsqueeze(0) : batchFirst ? key : key.transpose(0, 1);
        Tensor v = unbatched ? value.unsqueeze(0) : batchFirst ? value : value.transpose(0, 1);
        int B = q.size(0), L = q.size(1), S = k.size(1), E = embedDim, H = numHeads;
        Tensor mask = combinedMask(attnMask, unbatched && keyPaddingMask != null ? keyPaddingMask.unsqueeze(0) : keyPaddingMask,
                isCausal, B, L, S, query, key);

        // input projections, [B, L|S, E] each; one GEMM when query, key and value are the same tensor
        Tensor qp, kp, vp;
        if (query == key && key == value) {
            Tensor qkv = Functional.linear(q, inProjWeight, inProjBias);
            qp = qkv.narrow(2, 0, E);
            kp = qkv.narrow(2, E, E);
            vp = qkv.narrow(2, 2 * E, E);
        } else {
            qp = Functional.linear(q, inProjWeight.narrow(0, 0, E), inProjBias == null ? null : inProjBias.narrow(0, 0, E));
            kp = Functional.linear(k, inProjWeight.narrow(0, E, E), inProjBias == null ? null : inProjBias.narrow(0, E, E));
            vp = Functional.linear(v, inProjWeight.narrow(0, 2 * E, E), inProjBias == null ? null : inProjBias.narrow(0, 2 * E, E));
        }
        // heads: [B, H, L|S, d]; the query is scaled before the product, as PyTorch does
        Tensor qh = qp.reshape(B, L, H, headDim).permute(0, 2, 1, 3).div((float) Math.sqrt(headDim));
        Tensor kh = kp.reshape(B, S, H, headDim).permute(0, 2, 1, 3);
        Tensor vh = vp.reshape(B, S, H, headDim).permute(0, 2, 1, 3);
        Tensor scores = qh.matmul(kh.transpose(2, 3));                       // [B, H, L, S]
        if (mask != null) scores = scores.add(mask);
        Tensor weights = Functional.dropout(scores.softmax(3), dropout, isTraining(), gen);
        Tensor heads = weights.matmul(vh);                                   // [B, H, L, d]
        Tensor out = outProj.forward(heads.permute(0, 2, 1, 3).reshape(B, L, E));

        out = unbatched ? out.squeeze(0) : batchFirst ? out : out.transpose(0, 1);
        Tensor w = null;
        if (needWeights) {
            w = averageAttnWeights ? weights.mean(1) : weights;
            if (unbatched) w = w.squeeze(0);
        }
        return new Output(out, w);
    }

    private void checkInputs(Tensor query, Tensor key, Tensor value, boolean unbatched) {
        int rank = unbatched ? 2 : 3;
        String layout = unbatched ? "[L, E] (unbatched)" : batchFirst ? "[B, L, E] (batchFirst)" : "[L, B, E]";
        boolean ok = (query.dim() == 2 || query.dim() == 3) && key.dim() == rank && value.dim() == rank
                && query.size(-1) == embedDim && key.size(-1) == embedDim && value.size(-1) == embedDim
                && java.util.Arrays.equals(key.shape(), value.shape());
        int batchDim = batchFirst ? 0 : 1;
        if (ok && !unbatched) ok = query.size(batchDim) == key.size(batchDim);
        if (!ok) {
            throw new IllegalArgumentException("MultiheadAttention expects query " + layout + " and key, value of the same rank with the same shape,"
                    + " all with last dimension " + embedDim + " (embedDim)" + (unbatched ? "" : " and the same batch size")
                    + ", but query is " + Shape.str(query.shape()) + ", key " + Shape.str(key.shape()) + ", value " + Shape.str(value.shape()));
        }
    }

    /** The sum of the requested masks as one additive tensor broadcastable to {@code [B, H, L, S]}, or null when none. */
    private Tensor combinedMask(Tensor attnMask, Tensor keyPaddingMask, boolean isCausal, int B, int L, int S, Tensor query, Tensor key) {
        Tensor mask = null;
        if (attnMask != null) {
            boolean ok2 = attnMask.dim() == 2 && attnMask.size(0) == L && attnMask.size(1) == S;
            boolean ok3 = attnMask.dim() == 3 && attnMask.size(0) == B * numHeads && attnMask.size(1) == L && attnMask.size(2) == S;
            if (!ok2 && !ok3) {
                throw new IllegalArgumentException("MultiheadAttention: attnMask must be [L, S] = [" + L + ", " + S + "] or [B·numHeads, L, S] = ["
                        + B * numHeads + ", " + L + ", " + S + "] but is " + Shape.str(attnMask.shape()) + " (query " + Shape.str(query.shape())
                        + ", key " + Shape.str(key.shape()) + ")");
            }
            mask = ok3 ? attnMask.reshape(B, numHeads, L, S) : attnMask;
        }
        if (keyPaddingMask != null) {
            if (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != B || keyPaddingMask.size(1) != S) {
                throw new IllegalArgumentException("MultiheadAttention: keyPaddingMask must be [B, S] = [" + B + ", " + S + "] but is "
                        + Shape.str(keyPaddingMask.shape()) + " (query " + Shape.str(query.shape()) + ", key " + Shape.str(key.shape()) + ")");
            }
            Tensor padding = additiveMask(keyPaddingMask).reshape(B, 1, 1, S);
            mask = mask == null ? padding : mask.add(padding);
        }
        if (isCausal) {
            Tensor causal = causalMask(L, S);
            mask = mask == null ? causal : mask.add(causal);
        }
        return mask;
    }

    /** PyTorch's boolean mask as an additive one: {@code −∞} where {@code mask} is non-zero (true = masked), 0 elsewhere. */
    public static Tensor additiveMask(Tensor mask) {
        float[] m = mask.toFloatArray();
        for (int i = 0; i < m.length; i++) m[i] = m[i] != 0 ? Float.NEGATIVE_INFINITY : 0f;
        return Tensor.fromArray(m, mask.shape());
    }

    /**
     * The causal mask {@code [L, S]}: {@code −∞} above the diagonal ({@code j > i}, a query may not look ahead), 0 on
     * and below it, as {@code torch.nn.Transformer.generate_square_subsequent_mask} for {@code L = S}.
     */
    public static Tensor causalMask(int L, int S) {
        float[] m = new float[L * S];
        for (int i = 0; i < L; i++) {
            for (int j = i + 1; j < S; j++) m[i * S + j] = Float.NEGATIVE_INFINITY;
        }
        return Tensor.fromArray(m, L, S);
    }

    public int embedDim() {
        return embedDim;
    }

    public int numHeads() {
        return numHeads;
    }

    public int headDim() {
        return headDim;
    }

    public double dropout() {
        return dropout;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    public boolean hasBias() {
        return inProjBias != null;
    }

    /** The packed query/key/value projection, {@code [3·embedDim, embedDim]}. */
    public Tensor inProjWeight() {
        return inProjWeight;
    }

    /** The packed projection bias, {@code [3·embedDim]}, or null without bias. */
    public Tensor inProjBias() {
        return inProjBias;
    }

    /** The output projection, a Linear {@code embedDim → embedDim}. */
    public Linear outProj() {
        return outProj;
    }
}
