package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seeded random and stratified splits of a dataset into disjoint {@link Subset} views (train/validation/test),
 * as {@code torch.utils.data.random_split} and scikit-learn's {@code train_test_split(stratify=y)}.
 *
 * <p>Sizes come from counts, or from fractions in (0, 1]: part {@code s} gets {@code ⌊f_s·N⌋} examples and the
 * rest go, one each, to the parts with the largest remainders (ties to the earlier part); fractions summing to
 * 1 use every example, a smaller sum leaves the rest out. A stratified split keeps each class's share in every
 * part: class {@code k} (of {@code n_k} examples) gives part {@code s} either {@code ⌊c_s·n_k/N⌋} or one more,
 * the extra units going to the largest remainders, so that both the part sizes and the class sizes are exact.
 *
 * <p>Randomness: each class's examples (all examples for {@link #random}) are shuffled by Fisher-Yates with the
 * generator, classes in ascending label order, then dealt to the parts in order. The generator is the run's,
 * so a seed fixes the split. A part's indices are sorted, so an unshuffled loader visits it in dataset order.
 * {@snippet :
 * List<Subset> parts = Splits.stratified(dataset, new Generator(42), 0.8, 0.1, 0.1); // train, validation, test
 * }
 */
public final class Splits {
    /** A three-way split. */
    public record TrainValTest(Subset train, Subset validation, Subset test) {}

    /** Targets are read this many examples at a time when the dataset does not hold them as one tensor. */
    private static final int CHUNK = 4096;

    private Splits() {}

    /** A uniformly random split into parts of the given fractions of {@code dataset}. */
    public static List<Subset> random(Dataset dataset, Generator generator, double... fractions) {
        return split(dataset, null, countsOf("Splits.random", dataset.size(), fractions), generator);
    }

    /** A uniformly random split into parts of the given sizes (summing to at most {@code dataset.size()}). */
    public static List<Subset> random(Dataset dataset, Generator generator, int... counts) {
        return split(dataset, null, checked("Splits.random", dataset.size(), counts), generator);
    }

    /** A split into parts of the given fractions that keeps each class's proportion in every part. */
    public static List<Subset> stratified(Dataset dataset, Generator generator, double... fractions) {
        int[] counts = countsOf("Splits.stratified", dataset.size(), fractions);
        return split(dataset, labels(dataset, "Splits.stratified"), counts, generator);
    }

    /** A split into parts of the given sizes that keeps each class's proportion in every part. */
    public static List<Subset> stratified(Dataset dataset, Generator generator, int... counts) {
        int[] checked = checked("Splits.stratified", dataset.size(), counts);
        return split(dataset, labels(dataset, "Splits.stratified"), checked, generator);
    }

    /** Validation and test fractions; the rest, which must not be empty, is the training part. */
    public static TrainValTest trainValTest(Dataset dataset, double validation, double test, boolean stratify, Generator generator) {
        for (double f : new double[] {validation, test}) {
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("Splits.trainValTest: validation and test fractions must be in (0, 1) but were "
                        + validation + " and " + test);
            }
        }
        if (validation + test >= 1) {
            throw new IllegalArgumentException("Splits.trainValTest: validation " + validation + " and test " + test
                    + " leave no examples for training (they must sum to less than 1)");
        }
        double[] fractions = {1 - validation - test, validation, test};
        return three(stratify ? stratified(dataset, generator, fractions) : random(dataset, generator, fractions));
    }

    /** Validation and test sizes; the rest, which must not be empty, is the training part. */
    public static TrainValTest trainValTest(Dataset dataset, int validation, int test, boolean stratify, Generator generator) {
        int[] counts = {dataset.size() - validation - test, validation, test};
        if (validation < 1 || test < 1 || counts[0] < 1) {
            throw new IllegalArgumentException("Splits.trainValTest: validation " + validation + " and test " + test
                    + " must each be at least 1 and leave at least one of " + dataset.size() + " examples for training");
        }
        return three(stratify ? stratified(dataset, generator, counts) : random(dataset, generator, counts));
    }

    private static TrainValTest three(List<Subset> parts) {
        return new TrainValTest(parts.get(0), parts.get(1), parts.get(2));
    }

    /** The class index of every example, from targets of shape {@code [N]} or {@code [N, 1]} holding whole numbers at least 0. */
    public static int[] labels(Dataset dataset) {
        return labels(dataset, "Splits.labels");
    }

    private static int[] labels(Dataset dataset, String op) {
        float[] targets = targets(dataset, op);
        int[] labels = new int[targets.length];
        for (int i = 0; i < labels.length; i++) {
            float t = targets[i];
            if (!(t >= 0 && t == Math.rint(t) && t <= Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(op + ": the target " + t + " of example " + i + " is not a class index (a whole number at least 0)");
            }
            labels[i] = (int) t;
        }
        return labels;
    }

    /** One target per example, reading a {@link TensorDataset}'s tensor directly and any other dataset in chunks. */
    private static float[] targets(Dataset dataset, String op) {
        if (dataset instanceof TensorDataset t) return oneEach(t.targets(), op);
        if (dataset instanceof Subset s) {
            float[] parent = targets(s.dataset(), op);
            int[] idx = s.indices();
            float[] out = new float[idx.length];
            for (int i = 0; i < idx.length; i++) out[i] = parent[idx[i]];
            return out;
        }
        int n = dataset.size();
        float[] out = new float[n];
        for (int start = 0; start < n; start += CHUNK) {
            int[] idx = new int[Math.min(CHUNK, n - start)];
            for (int i = 0; i < idx.length; i++) idx[i] = start + i;
            System.arraycopy(oneEach(dataset.batch(idx).targets(), op), 0, out, start, idx.length);
        }
        return out;
    }

    private static float[] oneEach(Tensor targets, String op) {
        int[] s = targets.shape();
        if (!(s.length == 1 || s.length == 2 && s[1] == 1)) {
            throw new IllegalArgumentException(op + " needs one class index per example (targets [N] or [N, 1]) but the targets are "
                    + Arrays.toString(s));
        }
        return targets.toFloatArray();
    }

    /** Part sizes from fractions (see the class comment), each checked to be at least 1. */
    static int[] countsOf(String op, int n, double[] fractions) {
        if (fractions.length == 0) throw new IllegalArgumentException(op + ": no fractions given");
        double sum = 0;
        for (int s = 0; s < fractions.length; s++) {
            if (!(fractions[s] > 0 && fractions[s] <= 1)) {
                throw new IllegalArgumentException(op + ": fraction " + fractions[s] + " (part " + s + " of " + Arrays.toString(fractions)
                        + ") is outside (0, 1]");
            }
            sum += fractions[s];
        }
        if (sum > 1 + 1e-9) throw new IllegalArgumentException(op + ": fractions " + Arrays.toString(fractions) + " sum to " + sum + ", more than 1");
        int total = Math.abs(sum - 1) <= 1e-9 ? n : (int) Math.floor(sum * n + 1e-9);
        int[] counts = new int[fractions.length];
        double[] remainder = new double[fractions.length];
        int given = 0;
        for (int s = 0; s < counts.length; s++) {
            double exact = fractions[s] * n;
            counts[s] = (int) Math.floor(exact);
            remainder[s] = exact - counts[s];
            given += counts[s];
        }
        for (; given < total; given++) {
            int best = 0;
            for (int s = 1; s < counts.length; s++) if (remainder[s] > remainder[best]) best = s;
            counts[best]++;
            remainder[best] = -1;
        }
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] == 0) {
                throw new IllegalArgumentException(op + ": part " + s + " of fractions " + Arrays.toString(fractions)
                        + " would be empty for a dataset of " + n + " examples");
            }
        }
        return counts;
    }

    private static int[] checked(String op, int n, int[] counts) {
        if (counts.length == 0) throw new IllegalArgumentException(op + ": no sizes given");
        long sum = 0;
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 1) {
                throw new IllegalArgumentException(op + ": part " + s + " of sizes " + Arrays.toString(counts) + " would be empty (size " + counts[s] + ")");
            }
            sum += counts[s];
        }
        if (sum > n) throw new IllegalArgumentException(op + ": sizes " + Arrays.toString(counts) + " sum to " + sum + ", more than the " + n + " examples");
        return counts.clone();
    }

    /** Shuffles each class (one class when {@code labels} is null) and deals it to the parts; see the class comment. */
    private static List<Subset> split(Dataset dataset, int[] labels, int[] counts, Generator generator) {
        int n = dataset.size();
        int[] classOf = labels == null ? new int[n] : labels;
        int[] classIds = Arrays.stream(classOf).distinct().sorted().toArray();
        int[][] members = new int[classIds.length][];
        int[] filled = new int[classIds.length];
        for (int label : classOf) filled[Arrays.binarySearch(classIds, label)]++;
        for (int k = 0; k < classIds.length; k++) members[k] = new int[filled[k]];
        Arrays.fill(filled, 0);
        for (int i = 0; i < n; i++) {
            int k = Arrays.binarySearch(classIds, classOf[i]);
            members[k][filled[k]++] = i;
        }
        for (int[] m : members) DataLoader.shuffle(m, generator);

        // The examples no part asks for form one more, dropped, part so that the allocation covers every class fully.
        long asked = Arrays.stream(counts).asLongStream().sum();
        int[] parts = asked < n ? Arrays.copyOf(counts, counts.length + 1) : counts;
        if (asked < n) parts[counts.length] = (int) (n - asked);
        int[] classSizes = new int[members.length];
        for (int k = 0; k < members.length; k++) classSizes[k] = members[k].length;
        int[][] take = allocate(parts, classSizes, n);

        List<Subset> out = new ArrayList<>();
        int[] used = new int[members.length];
        for (int s = 0; s < counts.length; s++) {
            int[] idx = new int[counts[s]];
            int at = 0;
            for (int k = 0; k < members.length; k++) {
                System.arraycopy(members[k], used[k], idx, at, take[s][k]);
                used[k] += take[s][k];
                at += take[s][k];
            }
            Arrays.sort(idx);
            out.add(new Subset(dataset, idx));
        }
        return List.copyOf(out);
    }

    /**
     * How many examples of class {@code k} go to part {@code s}: {@code ⌊c_s·n_k/N⌋} plus the units left over,
     * given to the largest remainders first while both the part and the class still miss examples. Rows sum to
     * {@code parts}, columns to {@code classSizes}.
     */
    static int[][] allocate(int[] parts, int[] classSizes, int n) {
        int parts0 = parts.length, classes = classSizes.length;
        int[][] take = new int[parts0][classes];
        long[][] remainder = new long[parts0][classes];
        int[] partMissing = parts.clone(), classMissing = classSizes.clone();
        List<int[]> cells = new ArrayList<>();
        for (int s = 0; s < parts0; s++) {
            for (int k = 0; k < classes; k++) {
                long exact = (long) parts[s] * classSizes[k];
                take[s][k] = (int) (exact / n);
                remainder[s][k] = exact % n;
                partMissing[s] -= take[s][k];
                classMissing[k] -= take[s][k];
                if (remainder[s][k] > 0) cells.add(new int[] {s, k});
            }
        }
        cells.sort((a, b) -> Long.compare(remainder[b[0]][b[1]], remainder[a[0]][a[1]]));
        for (int[] c : cells) {
            if (partMissing[c[0]] > 0 && classMissing[c[1]] > 0) {
                take[c[0]][c[1]]++;
                partMissing[c[0]]--;
                classMissing[c[1]]--;
            }
        }
        // Rare leftovers (the greedy pass blocked itself): any cell whose part and class both still miss examples.
        for (int s = 0; s < parts0; s++) {
            for (int k = 0; k < classes && partMissing[s] > 0; k++) {
                int t = Math.min(partMissing[s], classMissing[k]);
                take[s][k] += t;
                partMissing[s] -= t;
                classMissing[k] -= t;
            }
        }
        return take;
    }
}
