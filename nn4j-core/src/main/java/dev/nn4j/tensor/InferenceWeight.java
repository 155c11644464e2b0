package dev.nn4j.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A linear layer's weight {@code [out, in]} fixed for inference: a private copy on the heap, and the same floats in
 * native memory that starts on a 64-byte boundary, which the kernels read for a batch of one to three rows
 * ({@link dev.nn4j.backend.Kernels#linearAligned}). Java cannot place a heap array on a cache-line boundary, and a
 * 512-bit load from a misaligned array touches two lines: the seed MLP's first layer at batch 1 took 9.5–9.7 µs from
 * a misaligned heap array against 6.6–6.9 µs from aligned memory (a harness; BENCHMARKS.md, session 14), and a heap
 * array's alignment is whatever the allocator and the GC give it.
 *
 * <p>Immutable: it copies the tensor it is made from, so later changes to that tensor do not reach it. It takes the
 * weight's memory twice, on the heap and natively: the heap copy is what larger batches and the backward pass to the
 * input read; the native copy is freed when this object is no longer reachable.
 */
public final class InferenceWeight {
    /** The native copy's alignment in bytes: one cache line, and one 512-bit vector. */
    private static final long ALIGNMENT = 64;

    private final Tensor heap;
    private final MemorySegment aligned;

    private InferenceWeight(Tensor heap, MemorySegment aligned) {
        this.heap = heap;
        this.aligned = aligned;
    }

    /** A copy of {@code weight}'s current values; {@code weight} must be two-dimensional, {@code [out, in]}. */
    public static InferenceWeight copyOf(Tensor weight) {
        if (weight.dim() != 2) throw new IllegalArgumentException("InferenceWeight: weight must have shape [out, in] but has shape " + Shape.str(weight.shape));
        float[] values = weight.toFloatArray();
        MemorySegment aligned = Arena.ofAuto().allocate((long) values.length * Float.BYTES, ALIGNMENT);
        MemorySegment.copy(values, 0, aligned, ValueLayout.JAVA_FLOAT, 0, values.length);
        return new InferenceWeight(Tensor.wrap(values, weight.shape.clone()), aligned);
    }

    /** {@code [out, in]}. */
    public int[] shape() {
        return heap.shape();
    }

    /** A new tensor with the values. */
    public Tensor toTensor() {
        return Tensor.fromArray(heap.toFloatArray(), heap.shape());
    }

    /**
     * {@code x · Wᵀ + bias} for {@code x} {@code [M, in]} (bias {@code [out]} or null), then ReLU when {@code relu}:
     * {@link Tensor#linear(Tensor, Tensor, boolean)} with this weight, the same values bit for bit, and the same
     * gradients to {@code x} and {@code bias} (none to the weight).
     */
    public Tensor linear(Tensor x, Tensor bias, boolean relu) {
        return TensorOps.linear(x, heap, aligned, bias, relu);
    }

    /** The native copy, for tests: its address and its values. */
    MemorySegment aligned() {
        return aligned;
    }
}
