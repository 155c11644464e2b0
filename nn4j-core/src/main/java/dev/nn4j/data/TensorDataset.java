package dev.nn4j.data;

import dev.nn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** A dataset held as two tensors, inputs {@code [N, …]} and targets {@code [N, …]}, as {@code torch.utils.data.TensorDataset}. */
public final class TensorDataset implements Dataset {
    private final Tensor inputs, targets;
    private final List<String> classes;

    public TensorDataset(Tensor inputs, Tensor targets) {
        this(inputs, targets, List.of());
    }

    public TensorDataset(Tensor inputs, Tensor targets, List<String> classes) {
        new Batch(inputs, targets); // validates the shapes
        this.inputs = inputs.contiguous();
        this.targets = targets.contiguous();
        this.classes = List.copyOf(classes);
    }

    public Tensor inputs() {
        return inputs;
    }

    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    @Override
    public Batch batch(int[] indices) {
        Tensor idx = Tensor.fromArray(toFloats(indices), indices.length);
        return new Batch(inputs.indexSelect(0, idx), targets.indexSelect(0, idx));
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    private static float[] toFloats(int[] indices) {
        float[] f = new float[indices.length];
        for (int i = 0; i < f.length; i++) f[i] = indices[i];
        return f;
    }

    @Override
    public String toString() {
        return "TensorDataset(size=" + size() + ", inputs=" + Arrays.toString(inputs.shape()) + ", targets=" + Arrays.toString(targets.shape()) + ")";
    }
}
