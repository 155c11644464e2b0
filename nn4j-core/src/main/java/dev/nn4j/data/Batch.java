package dev.nn4j.data;

import dev.nn4j.tensor.Tensor;

/** A mini-batch: inputs {@code [B, …]} and targets {@code [B, …]} (class indices as floats for classification). */
public record Batch(Tensor inputs, Tensor targets) {
    public Batch {
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("Batch: inputs " + java.util.Arrays.toString(inputs.shape()) + " and targets "
                    + java.util.Arrays.toString(targets.shape()) + " must have the same first (batch) dimension");
        }
    }

    public int size() {
        return inputs.size(0);
    }
}
