package dev.nn4j.serve.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for one model: concurrent requests are queued, and one worker thread takes them in order,
 * coalescing up to {@code maxBatch} examples or until the oldest has waited {@code maxWaitNanos}, runs one forward
 * pass and hands each request its own rows back.
 *
 * <p><b>Same answer alone or batched, to float rounding.</b> The forward pass sees only the queued rows (a batch of
 * more than {@code maxBatch} is cut into chunks of at most {@code maxBatch}); nothing is padded. The kernels compute
 * each row the same way at every row count within one path, so an answer's bits depend on the batch only where a
 * batch crosses a path threshold: a linear layer with 384 inputs or more (the seed MLP's 784) takes the row-dot tiles
 * for every batch below 96 rows (48 on CPUs without 512-bit vectors, such as AVX2 ones), so its answers are bit-for-bit the
 * same alone or batched; a layer with fewer inputs (and 32 outputs or more; 16 without 512-bit
 * vectors) takes them below 6 rows (4 without 512-bit vectors) and the packed GEMM above, which can change an answer's
 * last bits (a few ulp); so does a batch past the row limit above. Convolutions compute one image at a time. Earlier versions padded every pass to {@code maxBatch} rows, which kept
 * every answer's bits independent of the load but made a lone request pay for {@code maxBatch} rows of compute.
 *
 * <p>Not a thread pool: one worker per model, so the model itself is never called concurrently.
 */
public final class Batcher implements AutoCloseable {
    /**
     * The model's forward pass on the first {@code rows × rowSize} inputs, returning {@code rows × outputSize}
     * values. The input array (at least that long) belongs to the batcher and is refilled for the next pass: copy
     * what must outlive the call.
     */
    @FunctionalInterface
    public interface Forward {
        float[] apply(float[] inputs, int rows);
    }

    /** Told about each forward pass: examples, requests served and compute time. */
    @FunctionalInterface
    public interface BatchListener {
        void batch(int rows, int requests, long computeNanos);
    }

    /** A request's rows of output, and where its time went. */
    public record Result(float[] outputs, long queueNanos, long computeNanos, int batchRows) {}

    /** Thrown by {@link #submit} once the batcher is closed: the caller resolves the model again. */
    public static final class ClosedException extends RuntimeException {
        ClosedException(String name) {
            super("batcher of " + name + " is closed");
        }
    }

    /** Thrown by {@link #submit} when {@code maxQueueRows} examples are already waiting. */
    public static final class QueueFullException extends RuntimeException {
        QueueFullException(String name, int queued) {
            super("model " + name + " is overloaded: " + queued + " examples already queued");
        }
    }

    private record Job(float[] inputs, int rows, long enqueued, CompletableFuture<Result> result) {}

    private final String name;
    private final int rowSize, maxBatch, maxQueueRows;
    private final long maxWaitNanos;
    private final Forward forward;
    private final BatchListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Thread worker;
    private final float[] chunk; // one forward pass's input rows; used by the worker only
    private int queuedRows;
    private boolean closed;

    /**
     * Starts the worker thread.
     *
     * @param name         for thread names and messages
     * @param rowSize      input values per example
     * @param maxBatch     examples per forward pass (at least 1)
     * @param maxWaitNanos longest the oldest request waits for company
     * @param maxQueueRows examples that may wait before {@link #submit} refuses
     */
    public Batcher(String name, int rowSize, int maxBatch, long maxWaitNanos, int maxQueueRows, Forward forward, BatchListener listener) {
        if (rowSize < 1 || maxBatch < 1 || maxWaitNanos < 0 || maxQueueRows < 1) {
            throw new IllegalArgumentException("Batcher " + name + ": rowSize " + rowSize + ", maxBatch " + maxBatch
                    + ", maxWaitNanos " + maxWaitNanos + " and maxQueueRows " + maxQueueRows + " must be positive");
        }
        this.name = name;
        this.rowSize = rowSize;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.maxQueueRows = maxQueueRows;
        this.forward = forward;
        this.listener = listener;
        this.chunk = new float[Math.multiplyExact(maxBatch, rowSize)];
        this.worker = Thread.ofPlatform().daemon().name("nn4j-batch-" + name).start(this::run);
    }

    /**
     * Queues {@code rows} examples ({@code rows × rowSize} values, not copied: the caller hands them over).
     * Cancelling the returned future before its batch starts drops the request from the queue's work.
     *
     * @throws ClosedException     after {@link #close()}
     * @throws QueueFullException  when the queue holds {@code maxQueueRows} examples
     */
    public CompletableFuture<Result> submit(float[] inputs, int rows) {
        if (rows < 1 || inputs.length != rows * rowSize) {
            throw new IllegalArgumentException("Batcher " + name + ": " + inputs.length + " values are not " + rows + " rows of " + rowSize);
        }
        Job job = new Job(inputs, rows, System.nanoTime(), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) throw new ClosedException(name);
            if (queuedRows + rows > maxQueueRows) throw new QueueFullException(name, queuedRows);
            // wake the worker only when it waits for this: a first job, or the rows that fill its batch (a signal per
            // request woke it up to 32 times per batch, each time to find the batch not yet full)
            boolean wake = queue.isEmpty() || (queuedRows < maxBatch && queuedRows + rows >= maxBatch);
            queue.add(job);
            queuedRows += rows;
            if (wake) changed.signal();
        } finally {
            lock.unlock();
        }
        return job.result;
    }

    /** Examples waiting now. */
    public int queuedRows() {
        lock.lock();
        try {
            return queuedRows;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests; the worker finishes everything already queued, then ends. Does not wait. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for the worker to finish the queue after {@link #close()}; true when it did. */
    public boolean awaitDrained(long millis) throws InterruptedException {
        return worker.join(java.time.Duration.ofMillis(millis));
    }

    private void run() {
        while (true) {
            List<Job> batch = next();
            if (batch == null) return;
            compute(batch);
        }
    }

    /** The next batch: waits for a first job, then for company until full, the deadline, or close. Null when done. */
    private List<Job> next() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) return null;
                changed.awaitUninterruptibly();
            }
            long deadline = queue.peek().enqueued + maxWaitNanos;
            while (!closed && queuedRows < maxBatch) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            List<Job> batch = new ArrayList<>();
            int rows = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peek().rows <= maxBatch)) {
                Job job = queue.poll();
                queuedRows -= job.rows;
                if (job.result.isDone()) continue; // cancelled (timed out) while queued
                batch.add(job);
                rows += job.rows;
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void compute(List<Job> batch) {
        if (batch.isEmpty()) return;
        long start = System.nanoTime();
        int rows = 0;
        for (Job j : batch) rows += j.rows;
        try {
            // inputs in chunks of at most maxBatch rows, filled into one buffer that the worker reuses (the forward
            // pass copies what it keeps), so a batch allocates only its outputs
            float[] outputs = null;
            int outputSize = 0, job = 0, jobRow = 0, done = 0;
            while (done < rows) {
                int filled = 0;
                while (filled < maxBatch && job < batch.size()) {
                    Job j = batch.get(job);
                    int take = Math.min(maxBatch - filled, j.rows - jobRow);
                    System.arraycopy(j.inputs, jobRow * rowSize, chunk, filled * rowSize, take * rowSize);
                    filled += take;
                    jobRow += take;
                    if (jobRow == j.rows) {
                        job++;
                        jobRow = 0;
                    }
                }
                float[] out = forward.apply(chunk, filled);
                if (outputs == null) {
                    if (out.length % filled != 0) throw new IllegalStateException("model " + name + " returned " + out.length + " values for " + filled + " rows");
                    outputSize = out.length / filled;
                    outputs = new float[rows * outputSize];
                }
                System.arraycopy(out, 0, outputs, done * outputSize, filled * outputSize);
                done += filled;
            }
            long computed = System.nanoTime();
            long computeNanos = computed - start;
            // the batch is recorded before any answer is released, so whoever has an answer also sees its batch counted
            listener.batch(rows, batch.size(), computeNanos);
            int from = 0;
            for (Job j : batch) {
                float[] mine = java.util.Arrays.copyOfRange(outputs, from * outputSize, (from + j.rows) * outputSize);
                from += j.rows;
                j.result.complete(new Result(mine, start - j.enqueued, computeNanos, rows));
            }
        } catch (RuntimeException | Error e) {
            for (Job j : batch) j.result.completeExceptionally(e);
        }
    }

    @Override
    public String toString() {
        return "Batcher(" + name + ", maxBatch=" + maxBatch + ", maxWait=" + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms)";
    }
}
