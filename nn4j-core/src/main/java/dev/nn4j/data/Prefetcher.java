package dev.nn4j.data;

import java.lang.ref.Cleaner;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A {@link DataLoader} pass that gathers batches on one daemon thread, in order, into a bounded queue. The
 * thread stops when the pass is exhausted, on the first failure (handed to the consumer), on {@link #close()},
 * or when the pass becomes unreachable (a {@link Cleaner} cancels it), so an abandoned epoch leaks no thread.
 */
final class Prefetcher implements DataLoader.Pass {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A gathered batch, or the failure that took its place. */
    private record Item(Batch batch, Throwable failure) {}

    /**
     * The thread's side. It never refers to the {@link Prefetcher}, so that an abandoned pass can be collected
     * and the cleaner can cancel this producer.
     */
    private static final class Producer implements Runnable {
        final IntFunction<Batch> load;
        final int batches;
        final BlockingQueue<Item> queue;
        volatile boolean cancelled;
        Thread thread;

        Producer(IntFunction<Batch> load, int batches, int depth) {
            this.load = load;
            this.batches = batches;
            this.queue = new ArrayBlockingQueue<>(depth);
        }

        @Override
        public void run() {
            try {
                for (int b = 0; b < batches && !cancelled; b++) {
                    Item item;
                    try {
                        item = new Item(load.apply(b), null);
                    } catch (Throwable t) {
                        if (!cancelled) queue.put(new Item(null, t));
                        return;
                    }
                    queue.put(item);
                }
            } catch (InterruptedException e) {
                // cancelled while waiting for room in the queue: nobody will take more batches
            }
        }

        void cancel() {
            cancelled = true;
            thread.interrupt();
            queue.clear();
        }
    }

    private final Producer producer;
    private final Cleaner.Cleanable cleanable;
    private int remaining;
    private boolean closed;

    Prefetcher(IntFunction<Batch> load, int batches, int depth) {
        producer = new Producer(load, batches, depth);
        remaining = batches;
        Thread thread = new Thread(producer, "nn4j-prefetch-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        producer.thread = thread;
        Producer p = producer; // the cleaning action must not capture this
        cleanable = CLEANER.register(this, p::cancel);
        if (batches > 0) thread.start();
    }

    /** The prefetch thread, for tests. */
    Thread thread() {
        return producer.thread;
    }

    @Override
    public boolean hasNext() {
        return !closed && remaining > 0;
    }

    @Override
    public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        Item item;
        try {
            item = producer.queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("DataLoader: interrupted while waiting for the next batch", e);
        }
        remaining--;
        if (item.failure() != null) {
            close();
            Throwable t = item.failure();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            throw new IllegalStateException(t.getMessage(), t);
        }
        if (remaining == 0) close();
        return item.batch();
    }

    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }
}
