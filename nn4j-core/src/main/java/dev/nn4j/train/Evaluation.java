package dev.nn4j.train;

/**
 * The result of {@link Trainer#evaluate}: the mean loss over the examples and, for classification, the accuracy and
 * the confusion matrix (with its per-class precision, recall and F1).
 *
 * @param loss      mean per-example loss (each batch's mean loss weighted by its size)
 * @param accuracy  fraction classified correctly, or NaN when the outputs are not class scores
 * @param samples   examples evaluated
 * @param confusion the confusion matrix, or null when the outputs are not class scores
 */
public record Evaluation(double loss, double accuracy, long samples, ConfusionMatrix confusion) {
    public boolean isClassification() {
        return confusion != null;
    }
}
