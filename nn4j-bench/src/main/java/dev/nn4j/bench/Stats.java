package dev.nn4j.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The few statistics the benchmark reports: median, nearest-rank percentile (as {@code bench/reference/infer.py}
 * computes its p99, so both sides use the same definition) and the nn4j/PyTorch ratio.
 */
public final class Stats {
    private Stats() {}

    /** The median; the mean of the two middle values for an even count. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("median of no values");
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * Percentile {@code q} in [0, 1] of {@code sorted} (ascending): the element at index {@code round(q·(n-1))},
     * Python's {@code int(round(...))} (halves to even) to match infer.py's {@code pct}.
     */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) throw new IllegalArgumentException("percentile of no values");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("percentile q must be in [0, 1] but was " + q);
        int k = (int) Math.rint(q * (sorted.length - 1));
        return sorted[Math.min(sorted.length - 1, Math.max(0, k))];
    }

    /** Median of an unsorted array (sorts a copy). */
    public static double median(double[] values) {
        return median(Arrays.stream(values).boxed().toList());
    }

    /** {@code nn4j / reference}, or NaN when the reference is zero or missing. */
    public static double ratio(double nn4j, double reference) {
        return reference == 0 || Double.isNaN(reference) || Double.isNaN(nn4j) ? Double.NaN : nn4j / reference;
    }
}
