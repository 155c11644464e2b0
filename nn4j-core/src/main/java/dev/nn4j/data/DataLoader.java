package dev.nn4j.data;

import dev.nn4j.tensor.Generator;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * Iterates a {@link Dataset} in mini-batches, as {@code torch.utils.data.DataLoader}: each pass (epoch) draws a
 * fresh permutation from the generator when shuffling, and can drop a last incomplete batch. Because the
 * order comes only from the generator, saving and restoring its state resumes the exact same epoch order.
 *
 * <p>Two options, each returning a new loader over the same dataset and generator:
 * <ul>
 *   <li>{@link #withTransform(Transform)}: a training augmentation applied to each batch's inputs. At the start
 *       of a pass, after the permutation, the loader draws one {@code long} from the run's generator and seeds a
 *       private generator with it; the transform draws from that private generator, batch after batch in order.
 *       So the augmentation is fixed by the run's seed, never races with other users of the run's generator
 *       (dropout on the training thread), and is the same with or without prefetch. {@link Transform#identity()}
 *       (the default) draws nothing.</li>
 *   <li>{@link #withPrefetch(int)}: gathers (and transforms) the next batches on a daemon thread, at most
 *       {@code depth} ready ahead in a bounded queue, while the caller trains on the current one. Batches, their
 *       order and contents, and the generator's state are identical to those without prefetch. An exception on
 *       the prefetch thread is rethrown, the same exception object, by the {@code next()} that would have
 *       returned that batch. A pass abandoned early stops its thread on {@link Pass#close()}, or once the pass is
 *       garbage collected; the thread never blocks the JVM's exit.</li>
 * </ul>
 * {@snippet :
 * DataLoader train = new DataLoader(trainSet, 64, true, true, generator)
 *         .withTransform(Augmentation.preset("digits", new ImageShape(1, 28, 28)))
 *         .withPrefetch(1);
 * for (Batch batch : train) { ... }
 * }
 */
public class DataLoader implements Iterable<Batch> {
    /** Largest prefetch depth: more would only hold memory, since one batch ahead hides the gathering time. */
    public static final int MAX_PREFETCH = 2;

    /** One pass over the data. {@link #close()} ends it early and stops its prefetch thread; it is idempotent. */
    public interface Pass extends Iterator<Batch>, AutoCloseable {
        @Override
        void close();
    }

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final Generator generator;
    private final Transform transform;
    private final int prefetch;

    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator) {
        this(dataset, batchSize, shuffle, dropLast, generator, Transform.identity(), 0);
    }

    /** In order, keeping the last partial batch. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(dataset, batchSize, false, false, Generator.global());
    }

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator, Transform transform, int prefetch) {
        if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be at least 1 but was " + batchSize);
        if (prefetch < 0 || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("DataLoader: prefetch depth must be 0 (off) to " + MAX_PREFETCH + " but was " + prefetch);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.generator = generator;
        this.transform = java.util.Objects.requireNonNull(transform, "DataLoader: transform (use Transform.identity() for none)");
        this.prefetch = prefetch;
    }

    /** This loader with {@code transform} applied to every batch's inputs (see the class comment for its randomness). */
    public DataLoader withTransform(Transform transform) {
        return new DataLoader(dataset, batchSize, shuffle, dropLast, generator, transform, prefetch);
    }

    /** This loader preparing up to {@code depth} batches ahead on a background thread; 0 turns prefetch off. */
    public DataLoader withPrefetch(int depth) {
        return new DataLoader(dataset, batchSize, shuffle, dropLast, generator, transform, depth);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public Transform transform() {
        return transform;
    }

    /** Prefetch depth; 0 when off. */
    public int prefetch() {
        return prefetch;
    }

    /** Batches in one pass. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * Starts a pass: on the calling thread, draws the permutation (when shuffling), then the augmentation seed
     * (when there is a transform); then gathers one batch per {@code next()}, or ahead on a thread when prefetching.
     */
    @Override
    public Pass iterator() {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) shuffle(order, generator);
        Generator augment = transform == Transform.identity() ? null : new Generator(generator.nextLong());
        IntFunction<Batch> load = b -> {
            int start = b * batchSize;
            Batch batch = dataset.batch(Arrays.copyOfRange(order, start, Math.min(start + batchSize, n)));
            return augment == null ? batch : new Batch(transform.apply(batch.inputs(), augment), batch.targets());
        };
        int batches = batchesPerEpoch();
        return prefetch == 0 ? new InOrder(load, batches) : new Prefetcher(load, batches, prefetch);
    }

    /** Fisher-Yates shuffle of {@code a} in place, drawing {@code nextInt(i + 1)} for {@code i = n-1 … 1}. */
    static void shuffle(int[] a, Generator generator) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = generator.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A pass without prefetch: each batch is gathered by the {@code next()} that returns it. */
    private static final class InOrder implements Pass {
        private final IntFunction<Batch> load;
        private final int batches;
        private int next;
        private boolean closed;

        InOrder(IntFunction<Batch> load, int batches) {
            this.load = load;
            this.batches = batches;
        }

        @Override
        public boolean hasNext() {
            return !closed && next < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException();
            return load.apply(next++);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
