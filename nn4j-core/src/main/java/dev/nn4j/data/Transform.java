package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A random per-batch transform of training inputs (augmentation), as a torchvision transform applied to a
 * whole batch: {@code inputs [B, …] → outputs [B, …]}, drawing its randomness only from the generator it is given.
 * A {@link DataLoader} applies it to each batch's inputs (never the targets), possibly on its prefetch thread,
 * so an implementation keeps no mutable state and never writes into {@code inputs}.
 * {@snippet :
 * Transform augment = new RandomAffine(new ImageShape(1, 28, 28), 10, 2, 0.9, 1.1)
 *         .andThen(new GaussianNoise(0.05));
 * DataLoader train = new DataLoader(trainSet, 64, true, true, generator).withTransform(augment);
 * }
 */
@FunctionalInterface
public interface Transform {
    /** The transformed batch, a new tensor with the same shape as {@code inputs}. */
    Tensor apply(Tensor inputs, Generator generator);

    /** This transform, then {@code next}, both drawing from the same generator in that order. */
    default Transform andThen(Transform next) {
        if (this == identity()) return next;
        if (next == identity()) return this;
        List<Transform> all = new ArrayList<>();
        for (Transform t : List.of(this, next)) {
            if (t instanceof Chain c) all.addAll(c.transforms());
            else all.add(t);
        }
        return new Chain(all);
    }

    /** The transform that returns its input and draws nothing; a {@link DataLoader} treats it as no transform. */
    static Transform identity() {
        return Identity.INSTANCE;
    }

    /** The transforms in order ({@link #identity()} when empty). */
    static Transform compose(List<Transform> transforms) {
        Transform all = identity();
        for (Transform t : transforms) all = all.andThen(t);
        return all;
    }

    /** Transforms applied in order, as torchvision's {@code Compose}. */
    record Chain(List<Transform> transforms) implements Transform {
        public Chain {
            transforms = List.copyOf(transforms);
        }

        @Override
        public Tensor apply(Tensor inputs, Generator generator) {
            Tensor x = inputs;
            for (Transform t : transforms) x = t.apply(x, generator);
            return x;
        }

        @Override
        public String toString() {
            return transforms.stream().map(Object::toString).collect(Collectors.joining(" then "));
        }
    }

    /** Holder of the identity singleton, so that it can be recognised by reference. */
    final class Identity implements Transform {
        private static final Identity INSTANCE = new Identity();

        private Identity() {}

        @Override
        public Tensor apply(Tensor inputs, Generator generator) {
            return inputs;
        }

        @Override
        public String toString() {
            return "identity";
        }
    }
}
