package dev.nn4j.train;

import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (actual class, predicted class) pairs, accumulated batch by batch, and the per-class precision,
 * recall and F1 derived from them with their macro averages, as scikit-learn's {@code confusion_matrix} and
 * {@code classification_report} with {@code labels = 0 … C−1} and {@code zero_division = 0}.
 *
 * <pre>
 * M[a][p]       = #{examples of class a predicted as p}      (rows: actual, columns: predicted)
 * precision(c)  = M[c][c] / Σₐ M[a][c]        (0 when class c was never predicted)
 * recall(c)     = M[c][c] / Σₚ M[c][p]        (0 when class c never occurs)
 * f1(c)         = 2·precision·recall / (precision + recall)   (0 when both are 0)
 * macro x       = (1/C)·Σ_c x(c)              over all C classes, present or not
 * accuracy      = Σ_c M[c][c] / Σ M
 * </pre>
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) throw new IllegalArgumentException("ConfusionMatrix: numClasses must be at least 1 but was " + numClasses);
        counts = new long[numClasses][numClasses];
    }

    /** The matrix of one batch: {@code [N, C]} scores and {@code [N]} targets, C classes. */
    public static ConfusionMatrix of(Tensor scores, Tensor targets) {
        if (scores.dim() != 2) throw new IllegalArgumentException("ConfusionMatrix.of: scores must have shape [N, C] but have shape " + java.util.Arrays.toString(scores.shape()));
        ConfusionMatrix m = new ConfusionMatrix(scores.size(1));
        m.add(scores, targets);
        return m;
    }

    /** Counts one example. */
    public void add(int actual, int predicted) {
        int c = numClasses();
        if (actual < 0 || actual >= c || predicted < 0 || predicted >= c) {
            throw new IllegalArgumentException("ConfusionMatrix.add: actual " + actual + " and predicted " + predicted + " must be classes in [0, " + c + ")");
        }
        counts[actual][predicted]++;
    }

    /** Counts a batch: the top-scoring class of each row of {@code [N, C]} scores against {@code [N]} targets. */
    public void add(Tensor scores, Tensor targets) {
        if (scores.dim() != 2 || scores.size(1) != numClasses()) {
            throw new IllegalArgumentException("ConfusionMatrix.add: scores must have shape [N, " + numClasses() + "] but have shape "
                    + java.util.Arrays.toString(scores.shape()));
        }
        int[] t = Metrics.targets("ConfusionMatrix.add", scores, targets);
        int[] p = Metrics.predictions(scores);
        for (int i = 0; i < t.length; i++) counts[t[i]][p[i]]++;
    }

    public int numClasses() {
        return counts.length;
    }

    /** Examples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** A copy of the counts, {@code [actual][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = counts[i].clone();
        return copy;
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) for (long v : row) n += v;
        return n;
    }

    /** Examples whose actual class is {@code c} (the row sum). */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) n += v;
        return n;
    }

    /** Examples predicted as {@code c} (the column sum). */
    public long predicted(int c) {
        long n = 0;
        for (long[] row : counts) n += row[c];
        return n;
    }

    /** Fraction of examples on the diagonal (NaN when empty). */
    public double accuracy() {
        long diagonal = 0;
        for (int c = 0; c < counts.length; c++) diagonal += counts[c][c];
        long n = total();
        return n == 0 ? Double.NaN : (double) diagonal / n;
    }

    public double precision(int c) {
        long p = predicted(c);
        return p == 0 ? 0 : (double) counts[c][c] / p;
    }

    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) counts[c][c] / s;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) s += precision(c);
        return s / counts.length;
    }

    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) s += recall(c);
        return s / counts.length;
    }

    /** The mean of the per-class F1 scores (not the F1 of the macro precision and recall). */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) s += f1(c);
        return s / counts.length;
    }

    /**
     * A per-class report as scikit-learn's {@code classification_report}: one row per class with precision,
     * recall, F1 and support, then accuracy and the macro averages. {@code classNames} may be empty (rows are
     * then named by index) or hold one name per class.
     */
    public String table(List<String> classNames) {
        List<String> names = names(classNames);
        int w = Math.max("macro avg".length(), names.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        String row = "%-" + w + "s  %9s  %9s  %9s  %9s%n";
        String num = "%-" + w + "s  %9.4f  %9.4f  %9.4f  %9d%n";
        sb.append(String.format(Locale.ROOT, row, "class", "precision", "recall", "f1-score", "support"));
        for (int c = 0; c < counts.length; c++) {
            sb.append(String.format(Locale.ROOT, num, names.get(c), precision(c), recall(c), f1(c), support(c)));
        }
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9s  %9s  %9.4f  %9d%n", "accuracy", "", "", accuracy(), total()));
        sb.append(String.format(Locale.ROOT, num, "macro avg", macroPrecision(), macroRecall(), macroF1(), total()));
        return sb.toString();
    }

    /** The counts as a grid, rows actual and columns predicted, headed by class names (or indices). */
    public String toString(List<String> classNames) {
        List<String> names = names(classNames);
        int w = names.stream().mapToInt(String::length).max().orElse(1);
        for (long[] r : counts) for (long v : r) w = Math.max(w, Long.toString(v).length());
        int label = Math.max("actual \\ predicted".length(), names.stream().mapToInt(String::length).max().orElse(1));
        StringBuilder sb = new StringBuilder(String.format("%-" + label + "s", "actual \\ predicted"));
        for (String n : names) sb.append("  ").append(String.format("%" + w + "s", n));
        sb.append('\n');
        for (int a = 0; a < counts.length; a++) {
            sb.append(String.format("%-" + label + "s", names.get(a)));
            for (long v : counts[a]) sb.append("  ").append(String.format("%" + w + "d", v));
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toString(List.of());
    }

    private List<String> names(List<String> classNames) {
        if (classNames.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (int c = 0; c < counts.length; c++) out.add(Integer.toString(c));
            return out;
        }
        if (classNames.size() != counts.length) {
            throw new IllegalArgumentException("ConfusionMatrix: got " + classNames.size() + " class names for " + counts.length + " classes");
        }
        return classNames;
    }
}
