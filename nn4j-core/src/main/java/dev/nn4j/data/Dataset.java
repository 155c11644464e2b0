package dev.nn4j.data;

import java.util.List;

/**
 * A finite, indexable set of examples. It hands out whole batches, not single examples, so that in-memory
 * datasets gather rows with one copy instead of stacking thousands of small tensors.
 */
public interface Dataset {
    /** Number of examples. */
    int size();

    /** The examples at {@code indices}, stacked along a new first dimension, in that order. */
    Batch batch(int[] indices);

    /** Class names, indexed by class id; empty when the targets are not classes. */
    default List<String> classes() {
        return List.of();
    }

    /** Every example, in order. */
    default Batch all() {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return batch(idx);
    }
}
