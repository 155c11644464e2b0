package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link TransformerEncoderLayer}s applied in order, with an optional final layer norm, as
 * {@code torch.nn.TransformerEncoder}: {@code y = norm(layer_N(…layer_1(x)))}. The masks pass to every layer.
 *
 * <p><b>Shapes:</b> those of the layers ({@code [S, B, dModel]}, or {@code [B, S, dModel]} when they are batch first).
 *
 * <p><b>Parameters:</b> each layer's under {@code layers.0.…}, {@code layers.1.…}, and the final norm's under
 * {@code norm.weight}, {@code norm.bias} when there is one. Built from one layer, the stack holds {@code numLayers}
 * copies of it with equal initial weights, as PyTorch's deep copies (the given layer itself is not part of the stack).
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.TransformerEncoder.html">torch.nn.TransformerEncoder</a>.
 */
public final class TransformerEncoder extends Module {
    private final List<TransformerEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm norm;

    /** {@code numLayers} copies of {@code encoderLayer} ({@link TransformerEncoderLayer#copy()}), then {@code norm} (may be null). */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, LayerNorm norm) {
        this(clones(encoderLayer, numLayers), norm);
    }

    /** The given layers themselves, in order, then {@code norm} (may be null). */
    public TransformerEncoder(List<TransformerEncoderLayer> layers, LayerNorm norm) {
        if (layers.isEmpty()) throw new IllegalArgumentException("TransformerEncoder: needs at least one layer");
        Sequential stack = registerModule("layers", new Sequential());
        for (TransformerEncoderLayer l : layers) {
            stack.add(l);
            this.layers.add(l);
        }
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    private static List<TransformerEncoderLayer> clones(TransformerEncoderLayer layer, int n) {
        if (n <= 0) throw new IllegalArgumentException("TransformerEncoder: numLayers must be positive but was " + n);
        List<TransformerEncoderLayer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(layer.copy());
        return out;
    }

    /** The stack without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null, false);
    }

    /** The stack with masks, passed to every layer (see {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor, boolean)}). */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        for (TransformerEncoderLayer l : layers) x = l.forward(x, mask, srcKeyPaddingMask, isCausal);
        return norm == null ? x : norm.forward(x);
    }

    public int numLayers() {
        return layers.size();
    }

    /** The layers, in order (the live modules). */
    public List<TransformerEncoderLayer> layers() {
        return List.copyOf(layers);
    }

    /** The final norm, or null. */
    public LayerNorm norm() {
        return norm;
    }
}
