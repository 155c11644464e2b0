package dev.nn4j.loss;

import dev.nn4j.tensor.Tensor;

/**
 * A loss function: a scalar (or, with {@link Reduction#NONE}, per-element) measure of how far {@code input}
 * is from {@code target}, differentiable in {@code input} through autograd.
 */
public interface Loss {

    /**
     * The loss of {@code input} against {@code target}; each implementation documents the shapes it accepts.
     *
     * @throws IllegalArgumentException when the shapes do not match or a target value is invalid
     */
    Tensor forward(Tensor input, Tensor target);
}
