package dev.nn4j.data;

import java.util.Arrays;
import java.util.List;

/**
 * A view of some examples of another dataset, as {@code torch.utils.data.Subset}: example {@code i} of the
 * subset is example {@code indices[i]} of the parent. Nothing is copied until a batch is gathered.
 */
public final class Subset implements Dataset {
    private final Dataset dataset;
    private final int[] indices;

    /**
     * The examples of {@code dataset} at {@code indices}, in that order.
     *
     * @param indices positions in {@code dataset}, each in {@code [0, dataset.size())}; repeats are allowed
     */
    public Subset(Dataset dataset, int[] indices) {
        int n = dataset.size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IndexOutOfBoundsException("Subset: index " + indices[i] + " at position " + i + " is outside a dataset of " + n + " examples");
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /** The parent dataset. */
    public Dataset dataset() {
        return dataset;
    }

    /** The parent positions of this subset's examples, in order (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Batch batch(int[] positions) {
        int[] parent = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= indices.length) {
                throw new IndexOutOfBoundsException("Subset.batch: index " + positions[i] + " is outside a subset of " + indices.length + " examples");
            }
            parent[i] = indices[positions[i]];
        }
        return dataset.batch(parent);
    }

    @Override
    public List<String> classes() {
        return dataset.classes();
    }

    @Override
    public String toString() {
        return "Subset(size=" + size() + ", of " + dataset + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subset s && s.dataset == dataset && Arrays.equals(s.indices, indices);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(dataset) * 31 + Arrays.hashCode(indices);
    }
}
