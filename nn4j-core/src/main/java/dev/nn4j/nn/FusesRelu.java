package dev.nn4j.nn;

import dev.nn4j.tensor.Tensor;

/** A layer whose output and a following {@link ReLU} run as one op, which {@link Sequential} uses (Linear, InferenceLinear). */
interface FusesRelu {
    /** {@code forward(x)}, then its ReLU when {@code relu}, as one op: the same values and gradients. */
    Tensor forwardFused(Tensor x, boolean relu);
}
