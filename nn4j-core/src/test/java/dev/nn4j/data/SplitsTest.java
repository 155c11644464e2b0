package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {
    /** {@code sizes[k]} examples of class k, classes interleaved; input = example index. */
    static TensorDataset classes(int... sizes) {
        int n = IntStream.of(sizes).sum();
        float[] x = new float[n], y = new float[n];
        int[] left = sizes.clone();
        for (int i = 0, k = 0; i < n; k = (k + 1) % sizes.length) {
            if (left[k] == 0) continue;
            left[k]--;
            x[i] = i;
            y[i++] = k;
        }
        return new TensorDataset(Tensor.fromArray(x, n, 1), Tensor.fromArray(y, n));
    }

    static int[] classCounts(Subset s, int classes) {
        int[] counts = new int[classes];
        for (float label : s.all().targets().toFloatArray()) counts[(int) label]++;
        return counts;
    }

    static void assertDisjointCover(List<Subset> parts, int n, boolean all) {
        int[] seen = new int[n];
        for (Subset p : parts) {
            int[] idx = p.indices();
            int[] sorted = idx.clone();
            Arrays.sort(sorted);
            assertArrayEquals(sorted, idx, "indices are ascending");
            for (int i : idx) seen[i]++;
        }
        for (int i = 0; i < n; i++) assertTrue(seen[i] == 1 || (!all && seen[i] == 0), "example " + i + " used " + seen[i] + " times");
    }

    @Test
    void randomSplitByFractionsIsADisjointCoverWithLargestRemainderSizes() {
        TensorDataset d = classes(50, 51);
        List<Subset> parts = Splits.random(d, new Generator(1), 0.7, 0.2, 0.1);
        // 101·(0.7, 0.2, 0.1) = (70.7, 20.2, 10.1): floors 70, 20, 10 and the one left over goes to the largest remainder (0.7).
        assertEquals(List.of(71, 20, 10), parts.stream().map(Subset::size).toList());
        assertDisjointCover(parts, 101, true);
    }

    @Test
    void randomSplitIsFixedByTheSeedAndChangesWithIt() {
        TensorDataset d = classes(40, 40);
        int[] a = Splits.random(d, new Generator(5), 0.5, 0.5).get(1).indices();
        int[] b = Splits.random(d, new Generator(5), 0.5, 0.5).get(1).indices();
        int[] c = Splits.random(d, new Generator(6), 0.5, 0.5).get(1).indices();
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
    }

    @Test
    void splitsWithSmallerTotalsLeaveTheRestOut() {
        TensorDataset d = classes(60, 40);
        List<Subset> byCount = Splits.random(d, new Generator(2), 30, 10);
        assertEquals(List.of(30, 10), byCount.stream().map(Subset::size).toList());
        assertDisjointCover(byCount, 100, false);
        List<Subset> byFraction = Splits.stratified(d, new Generator(2), 0.25, 0.25);
        assertEquals(List.of(25, 25), byFraction.stream().map(Subset::size).toList());
        assertDisjointCover(byFraction, 100, false);
        for (Subset s : byFraction) assertTrue(Math.abs(classCounts(s, 2)[0] - 15) <= 1, Arrays.toString(classCounts(s, 2)));
    }

    @Test
    void stratifiedSplitKeepsEachClassProportionInEveryPart() {
        TensorDataset d = classes(100, 50, 30, 7);
        double[] fractions = {0.6, 0.25, 0.15};
        List<Subset> parts = Splits.stratified(d, new Generator(3), fractions);
        assertDisjointCover(parts, 187, true);
        int[] sizes = {100, 50, 30, 7};
        for (int s = 0; s < 3; s++) {
            int[] counts = classCounts(parts.get(s), 4);
            for (int k = 0; k < 4; k++) {
                double expected = parts.get(s).size() * (double) sizes[k] / 187;
                assertTrue(Math.abs(counts[k] - expected) < 1.0 + 1e-9, "part " + s + " class " + k + ": " + counts[k] + " vs " + expected);
            }
        }
        // 187·(0.6, 0.25, 0.15) = (112.2, 46.75, 28.05): floors 112, 46, 28, and the one left goes to the largest remainder.
        assertEquals(List.of(112, 47, 28), parts.stream().map(Subset::size).toList());
    }

    @Test
    void stratifiedSplitByCountsHasExactPartSizes() {
        TensorDataset d = classes(10, 20, 30);
        List<Subset> parts = Splits.stratified(d, new Generator(4), 30, 18, 12);
        assertEquals(List.of(30, 18, 12), parts.stream().map(Subset::size).toList());
        assertArrayEquals(new int[] {5, 10, 15}, classCounts(parts.get(0), 3));
        assertArrayEquals(new int[] {3, 6, 9}, classCounts(parts.get(1), 3));
        assertArrayEquals(new int[] {2, 4, 6}, classCounts(parts.get(2), 3));
    }

    @Test
    void allocationMeetsBothMarginsEvenWhenRemaindersTie() {
        // 3 parts of 1 over 3 classes of 1: every cell is 1/3, the greedy pass and the fallback must still fill each part once.
        int[][] take = Splits.allocate(new int[] {1, 1, 1}, new int[] {1, 1, 1}, 3);
        for (int s = 0; s < 3; s++) assertEquals(1, Arrays.stream(take[s]).sum());
        for (int k = 0; k < 3; k++) assertEquals(1, take[0][k] + take[1][k] + take[2][k]);
    }

    @Test
    void trainValTestFromFractionsAndFromCounts() {
        TensorDataset d = classes(70, 30);
        Splits.TrainValTest f = Splits.trainValTest(d, 0.1, 0.2, true, new Generator(8));
        assertEquals(List.of(70, 10, 20), List.of(f.train().size(), f.validation().size(), f.test().size()));
        assertArrayEquals(new int[] {7, 3}, classCounts(f.validation(), 2));
        assertDisjointCover(List.of(f.train(), f.validation(), f.test()), 100, true);
        Splits.TrainValTest c = Splits.trainValTest(d, 15, 5, false, new Generator(8));
        assertEquals(List.of(80, 15, 5), List.of(c.train().size(), c.validation().size(), c.test().size()));
        assertDisjointCover(List.of(c.train(), c.validation(), c.test()), 100, true);
    }

    @Test
    void subsetViewsMapToTheParentAndKeepItsClasses() {
        TensorDataset parent = new TensorDataset(Tensor.of(10, 11, 12, 13).reshape(4, 1), Tensor.of(0, 1, 0, 1), List.of("a", "b"));
        Subset s = new Subset(parent, new int[] {3, 1});
        assertArrayEquals(new float[] {13, 11}, s.all().inputs().toFloatArray());
        assertArrayEquals(new float[] {11}, s.batch(new int[] {1}).inputs().toFloatArray());
        assertEquals(List.of("a", "b"), s.classes());
        assertArrayEquals(new int[] {1, 1}, Splits.labels(s));
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset(parent, new int[] {4}));
        assertThrows(IndexOutOfBoundsException.class, () -> s.batch(new int[] {2}));
    }

    @Test
    void labelsOfAnyDatasetAreReadThroughBatches() {
        TensorDataset inner = classes(3, 2);
        Dataset wrapped = new Dataset() {
            public int size() {
                return inner.size();
            }

            public Batch batch(int[] indices) {
                return inner.batch(indices);
            }
        };
        assertArrayEquals(Splits.labels(inner), Splits.labels(wrapped));
        assertArrayEquals(new int[] {0, 1, 0, 1, 0}, Splits.labels(inner));
    }

    @Test
    void badFractionsCountsAndTargetsAreErrorsThatSayWhy() {
        TensorDataset d = classes(5, 5);
        Generator g = new Generator(0);
        assertMessage("fraction 1.5 (part 0 of [1.5]) is outside (0, 1]", () -> Splits.random(d, g, 1.5));
        assertMessage("fraction 0.0 (part 1 of [0.9, 0.0]) is outside (0, 1]", () -> Splits.random(d, g, 0.9, 0.0));
        assertMessage("fraction NaN", () -> Splits.random(d, g, Double.NaN));
        assertMessage("fractions [0.8, 0.5] sum to 1.3", () -> Splits.stratified(d, g, 0.8, 0.5));
        assertMessage("part 1 of fractions [0.95, 0.05] would be empty for a dataset of 10 examples", () -> Splits.random(d, g, 0.95, 0.05));
        assertMessage("part 1 of sizes [5, 0] would be empty", () -> Splits.random(d, g, 5, 0));
        assertMessage("sizes [6, 5] sum to 11, more than the 10 examples", () -> Splits.random(d, g, 6, 5));
        assertMessage("validation and test fractions must be in (0, 1) but were 0.0 and 0.2", () -> Splits.trainValTest(d, 0.0, 0.2, false, g));
        assertMessage("validation 0.5 and test 0.5 leave no examples for training", () -> Splits.trainValTest(d, 0.5, 0.5, false, g));
        assertMessage("leave at least one of 10 examples for training", () -> Splits.trainValTest(d, 5, 5, false, g));
        TensorDataset oneHot = new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(4, 3));
        assertMessage("needs one class index per example (targets [N] or [N, 1]) but the targets are [4, 3]", () -> Splits.stratified(oneHot, g, 0.5, 0.5));
        TensorDataset fractional = new TensorDataset(Tensor.zeros(2, 1), Tensor.of(0, 0.5f));
        assertMessage("the target 0.5 of example 1 is not a class index", () -> Splits.stratified(fractional, g, 0.5, 0.5));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }
}
