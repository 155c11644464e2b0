package dev.nn4j.data.sets;

import dev.nn4j.data.TensorDataset;

import java.util.List;

/** The training and test parts of a built-in dataset, as published (validation splits are carved from {@code train}). */
public record TrainTest(TensorDataset train, TensorDataset test) {
    /** Class names, indexed by class id (the same for both parts). */
    public List<String> classes() {
        return train.classes();
    }
}
