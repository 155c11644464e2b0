package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/** How a loss combines its per-element values, as PyTorch's {@code reduction='mean'|'sum'|'none'}. */
public enum Reduction {
    /** The average over elements (a weighted average for losses with class weights); NaN for no elements. */
    MEAN,
    /** The sum over elements. */
    SUM,
    /** The per-element losses, unreduced. */
    NONE;

    /** Reduces per-element losses by an unweighted mean, a sum, or not at all. */
    public Tensor apply(Tensor losses) {
        return switch (this) {
            case MEAN -> losses.mean();
            case SUM -> losses.sum();
            case NONE -> losses;
        };
    }
}
