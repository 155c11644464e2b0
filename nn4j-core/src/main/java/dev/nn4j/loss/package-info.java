/**
 * Loss functions with PyTorch 1.13's definitions, composed from {@link dev.nn4j.tensor.Tensor} ops so that
 * autograd supplies the gradient.
 *
 * <p><b>Construction.</b> Every loss is an immutable record whose components are PyTorch's constructor
 * arguments in PyTorch's order. The no-argument constructor gives PyTorch's defaults, and {@code withX}
 * methods return a copy with one option changed, so options read like keyword arguments:
 * {@snippet :
 * Loss plain = new CrossEntropyLoss();
 * Loss tuned = new CrossEntropyLoss().withLabelSmoothing(0.1f).withWeight(classWeights).withReduction(Reduction.SUM);
 * Loss huber = new HuberLoss(2f);  // delta = 2
 * }
 * Options are validated when the loss is built (ranges, ranks); what depends on the input (the number of
 * classes, shapes, target values) is checked in {@link dev.nn4j.loss.Loss#forward}, with messages that name the
 * loss, the shapes and the offending value.
 *
 * <p><b>Deliberate differences from PyTorch</b>: input and target shapes must be equal where PyTorch would
 * broadcast with a warning; {@link dev.nn4j.loss.BCELoss} also rejects targets outside [0, 1] (PyTorch 1.13
 * checks only the input); negative label smoothing and {@code beta} are rejected rather than ignored.
 */
package dev.nn4j.loss;
