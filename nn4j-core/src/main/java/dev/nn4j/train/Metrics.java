package dev.nn4j.train;

import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Classification metrics on a batch of class scores: predicted classes, accuracy and top-k accuracy, as counts
 * (to accumulate over batches) and as fractions. Scores are {@code [N, C]} (logits or probabilities: only their
 * order matters); targets are {@code [N]} class indices stored as floats. Per-class precision, recall and F1 live
 * in {@link ConfusionMatrix}.
 *
 * <pre>
 * prediction(i)   = argmax_c scores[i, c]                 (the first maximum on ties, as argmax)
 * accuracy        = #{i : prediction(i) = target(i)} / N
 * rank(i)         = #{c : s[i,c] > s[i,t]} + #{c &lt; t : s[i,c] = s[i,t]}    with t = target(i)
 * top-k accuracy  = #{i : rank(i) &lt; k} / N                (top-1 accuracy = accuracy)
 * </pre>
 * A NaN score never counts as correct. Reference: {@code torchmetrics.Accuracy(top_k=k)}.
 */
public final class Metrics {
    private Metrics() {}

    /** The predicted class of each row: {@code [N, C]} scores → N class indices. */
    public static int[] predictions(Tensor scores) {
        checkScores("predictions", scores);
        int n = scores.size(0), c = scores.size(1);
        float[] s = scores.toFloatArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) if (s[i * c + j] > s[i * c + best]) best = j;
            out[i] = best;
        }
        return out;
    }

    /** Rows whose top-scoring class is the target. */
    public static long correct(Tensor scores, Tensor targets) {
        return topKCorrect(scores, targets, 1);
    }

    /** {@link #correct} / N (NaN for an empty batch). */
    public static double accuracy(Tensor scores, Tensor targets) {
        return topKAccuracy(scores, targets, 1);
    }

    /** Rows whose target is among the {@code k} top-scoring classes (ties broken towards the lower class index). */
    public static long topKCorrect(Tensor scores, Tensor targets, int k) {
        checkScores("topKCorrect", scores);
        if (k < 1) throw new IllegalArgumentException("topKCorrect: k must be at least 1 but was " + k);
        int n = scores.size(0), c = scores.size(1);
        int[] t = targets("topKCorrect", scores, targets);
        float[] s = scores.toFloatArray();
        long hits = 0;
        for (int i = 0; i < n; i++) {
            float target = s[i * c + t[i]];
            if (Float.isNaN(target)) continue;
            int rank = 0;
            for (int j = 0; j < c && rank < k; j++) {
                float v = s[i * c + j];
                if (v > target || v == target && j < t[i] || Float.isNaN(v)) rank++;
            }
            if (rank < k) hits++;
        }
        return hits;
    }

    /** {@link #topKCorrect} / N (NaN for an empty batch). */
    public static double topKAccuracy(Tensor scores, Tensor targets, int k) {
        long hits = topKCorrect(scores, targets, k);
        return scores.size(0) == 0 ? Double.NaN : (double) hits / scores.size(0);
    }

    /**
     * True when {@code output} and {@code targets} look like a classification batch: scores {@code [N, C]} with
     * {@code C ≥ 2} and targets {@code [N]}. The trainer reports accuracy only for such batches.
     */
    public static boolean isClassification(Tensor output, Tensor targets) {
        return output.dim() == 2 && output.size(1) >= 2 && targets.dim() == 1 && targets.size(0) == output.size(0);
    }

    private static void checkScores(String op, Tensor scores) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException(op + ": scores must have shape [N, C] but have shape " + Arrays.toString(scores.shape()));
        }
    }

    /** The targets as class indices, checked to be {@code [N]} integers in {@code [0, C)}. */
    static int[] targets(String op, Tensor scores, Tensor targets) {
        int n = scores.size(0), c = scores.size(1);
        if (targets.dim() != 1 || targets.size(0) != n) {
            throw new IllegalArgumentException(op + ": targets must have shape [" + n + "] (one class index per row of scores "
                    + Arrays.toString(scores.shape()) + ") but have shape " + Arrays.toString(targets.shape()));
        }
        float[] f = targets.toFloatArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (!(f[i] >= 0 && f[i] < c && f[i] == Math.rint(f[i]))) {
                throw new IllegalArgumentException(op + ": target " + f[i] + " at row " + i + " is not a class index in [0, " + c + ")");
            }
            out[i] = (int) f[i];
        }
        return out;
    }
}
