package dev.nn4j.data;

import dev.nn4j.tensor.Generator;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates a {@link Dataset} in mini-batches, as {@code torch.utils.data.DataLoader}: each pass (epoch) draws a
 * fresh permutation from the generator when shuffling, and can drop a last incomplete batch. Because the
 * order comes only from the generator, saving and restoring its state resumes the exact same epoch order.
 */
public class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final Generator generator;

    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator) {
        if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be at least 1 but was " + batchSize);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.generator = generator;
    }

    /** In order, keeping the last partial batch. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(dataset, batchSize, false, false, Generator.global());
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches in one pass. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Starts a pass: draws the permutation now (when shuffling), then gathers one batch per {@code next()}. */
    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) {
                int j = generator.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int batches = batchesPerEpoch();
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int start = next++ * batchSize;
                int[] idx = java.util.Arrays.copyOfRange(order, start, Math.min(start + batchSize, n));
                return dataset.batch(idx);
            }
        };
    }
}
