package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

/** The input check shared by {@link SinusoidalPositionalEncoding} and {@link LearnedPositionalEncoding}. */
final class PositionalEncodings {
    private PositionalEncodings() {}

    /** Checks that {@code x} ends in {@code [T, dModel]} with {@code T ≤ maxLen}; returns {@code T}. */
    static int checkInput(String layer, Tensor x, int maxLen, int dModel) {
        if (x.dim() < 2 || x.size(-1) != dModel) {
            throw new IllegalArgumentException(layer + " expects input [B, T, " + dModel + "] (last dimension dModel = " + dModel
                    + ") but input shape is " + Shape.str(x.shape()));
        }
        int T = x.size(-2);
        if (T > maxLen) {
            throw new IllegalArgumentException(layer + ": sequence length " + T + " (input shape " + Shape.str(x.shape())
                    + ") exceeds maxLen " + maxLen);
        }
        return T;
    }
}
