package dev.nn4j.nn;

/**
 * Preparing a trained model for inference only, as the model server does with each model it loads (compare
 * {@code torch.jit.freeze}).
 */
public final class Inference {
    private Inference() {}

    /**
     * Prepares {@code model} for inference, in place: puts it in eval mode and replaces each {@link Linear} inside a
     * {@link Sequential} (at any depth) by an {@link InferenceLinear}, which copies the layer's weight into memory
     * aligned to 64 bytes: faster for batches of one to three rows, with the same outputs bit for bit. Returns
     * {@code model}, or for a bare Linear its InferenceLinear.
     *
     * <p>The replaced layers' parameters leave the model: a prepared model has nothing to train and no Linear
     * weights in its state dict, so save the model before preparing it. Linear layers that other modules hold in
     * their own fields (an attention block's projections, a custom module's layers) stay as they are.
     */
    public static Module prepare(Module model) {
        model.eval();
        if (model instanceof Linear linear) return InferenceLinear.of(linear);
        for (Module m : model.namedModules().values()) {
            if (!(m instanceof Sequential seq)) continue;
            for (int i = 0; i < seq.size(); i++) {
                if (seq.get(i) instanceof Linear linear) seq.set(i, InferenceLinear.of(linear));
            }
        }
        return model;
    }
}
