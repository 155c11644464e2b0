package dev.nn4j.backend;

/**
 * The scalars of one Adam or AdamW step, computed once per parameter by the optimizer (in double, then rounded to
 * float as PyTorch 1.13 does) and handed to {@link Kernels#adam}. Not a public optimizer API: see
 * {@code dev.nn4j.optim.Adam} for the update rule.
 *
 * @param beta1         β₁, and {@code oneMinusBeta1} = 1 − β₁ rounded once
 * @param beta2         β₂, and {@code oneMinusBeta2} = 1 − β₂ rounded once
 * @param eps           ε, added to the bias-corrected √v
 * @param l2            λ of an L2 term added to the gradient (Adam's weight decay), 0 for none
 * @param decoupled     AdamW: multiply θ by {@code shrink} = 1 − lr·λ before the update, instead of the L2 term
 * @param negStepSize   −lr / (1 − β₁ᵗ)
 * @param bc2Sqrt       √(1 − β₂ᵗ)
 */
public record AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float l2,
                       boolean decoupled, float shrink, float negStepSize, float bc2Sqrt) {}
