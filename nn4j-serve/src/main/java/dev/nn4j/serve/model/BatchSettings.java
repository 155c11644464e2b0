package dev.nn4j.serve.model;

/** How each loaded model's {@link dev.nn4j.serve.batch.Batcher} coalesces requests. */
public record BatchSettings(int maxBatch, long maxWaitNanos, int maxQueueRows) {}
