package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nn4j.data.SplitsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessingTest {
    static int[] bits(Tensor t) {
        float[] v = t.toFloatArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    @Test
    void scaleMapsBytesToTheUnitIntervalLikeToTensor() {
        Tensor bytes = Tensor.of(0, 51, 255, 128).reshape(1, 4);
        Tensor x = Preprocessing.of(new Preprocessing.Scale(255)).apply(bytes);
        assertArrayEquals(new float[] {0, 0.2f, 1, 128 / 255f}, x.toFloatArray());
        assertArrayEquals(new float[] {0, 51, 255, 128}, bytes.toFloatArray(), "inputs are not modified");
    }

    @Test
    void normalizeIsPerChannelInBothImageLayouts() {
        // Two images of 2 channels of 2×1 pixels; channel 0 uses mean 1, std 2 and channel 1 mean -1, std 0.5.
        Preprocessing.Normalize n = new Preprocessing.Normalize(new float[] {1, -1}, new float[] {2, 0.5f});
        float[] v = {1, 3, 0, 1, 5, -1, -1, -2};
        float[] expected = {0, 1, 2, 4, 2, -1, 0, -2};
        assertArrayEquals(expected, n.apply(Tensor.fromArray(v, 2, 2, 2, 1)).toFloatArray());
        assertArrayEquals(expected, n.apply(Tensor.fromArray(v, 2, 4)).toFloatArray());
    }

    @Test
    void normalizeFitsPopulationMeanAndStdPerChannelOnTheTrainingSplit() {
        // Channel 0 holds 1, 3, 1, 3 (mean 2, population std 1); channel 1 holds 2, 2, 6, 6 (mean 4, std 2).
        Tensor x = Tensor.fromArray(new float[] {1, 3, 2, 2, 1, 3, 6, 6}, 2, 2, 2);
        Preprocessing p = Preprocessing.none().thenNormalize(new TensorDataset(x, Tensor.zeros(2)), 2);
        Preprocessing.Normalize n = (Preprocessing.Normalize) p.steps().get(0);
        assertArrayEquals(new float[] {2, 4}, n.mean());
        assertArrayEquals(new float[] {1, 2}, n.std());
        assertArrayEquals(new float[] {-1, 1, -1, -1, -1, 1, 1, 1}, p.apply(x).toFloatArray());
    }

    @Test
    void standardisationIsFittedOnTheTrainingSplitOnly() {
        // Training examples (even indices) are near 0, the others (validation and test) near 1000: statistics
        // taken from anything but the training split would show a mean far from 0.
        int n = 200;
        Generator g = new Generator(1);
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) for (int f = 0; f < 3; f++) x[3 * i + f] = (float) ((i % 2 == 0 ? 0 : 1000) + (f + 1) * g.nextGaussian());
        TensorDataset all = new TensorDataset(Tensor.fromArray(x, n, 3), Tensor.zeros(n));
        int[] even = new int[n / 2], odd = new int[n / 2];
        for (int i = 0; i < n / 2; i++) {
            even[i] = 2 * i;
            odd[i] = 2 * i + 1;
        }
        Subset train = new Subset(all, even), rest = new Subset(all, odd);
        Preprocessing p = Preprocessing.none().thenStandardize(train);

        Tensor trainOut = p.apply(train.all().inputs());
        float[] mean = trainOut.mean(0).toFloatArray(), std = trainOut.std(new int[] {0}, false, false).toFloatArray();
        for (int f = 0; f < 3; f++) {
            assertEquals(0, mean[f], 1e-5, "feature " + f + " of the training split is centred");
            assertEquals(1, std[f], 1e-5, "feature " + f + " of the training split has unit std");
        }
        Preprocessing.Normalize fitted = (Preprocessing.Normalize) p.steps().get(0);
        Tensor trainIn = train.all().inputs();
        assertArrayEquals(trainIn.mean(0).toFloatArray(), fitted.mean(), 1e-4f);
        // The other split keeps its shift of about 1000 / std: the transform was not refitted on it.
        float[] restMean = p.apply(rest.all().inputs()).mean(0).toFloatArray();
        for (int f = 0; f < 3; f++) assertTrue(restMean[f] > 200, "feature " + f + ": " + restMean[f]);
    }

    @Test
    void fittingReadsLargeDatasetsInChunksWithTheSameResult() {
        int n = 2500; // three chunks of 1024
        Generator g = new Generator(2);
        float[] x = new float[n * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) (5 + 3 * g.nextGaussian());
        Tensor t = Tensor.fromArray(x, n, 2);
        Preprocessing.Normalize fitted = (Preprocessing.Normalize) Preprocessing.none().thenStandardize(new TensorDataset(t, Tensor.zeros(n))).steps().get(0);
        for (int f = 0; f < 2; f++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) sum += x[2 * i + f];
            double mean = sum / n;
            for (int i = 0; i < n; i++) sq += (x[2 * i + f] - mean) * (x[2 * i + f] - mean);
            assertEquals((float) mean, fitted.mean()[f]);
            assertEquals((float) Math.sqrt(sq / n), fitted.std()[f]);
        }
    }

    @Test
    void laterStepsAreFittedOnTheOutputOfEarlierOnes() {
        Tensor bytes = Tensor.of(0, 255, 0, 255).reshape(4, 1);
        Preprocessing p = Preprocessing.of(new Preprocessing.Scale(255)).thenNormalize(new TensorDataset(bytes, Tensor.zeros(4)), 1);
        Preprocessing.Normalize n = (Preprocessing.Normalize) p.steps().get(1);
        assertArrayEquals(new float[] {0.5f}, n.mean());
        assertArrayEquals(new float[] {0.5f}, n.std());
        assertArrayEquals(new float[] {-1, 1, -1, 1}, p.apply(bytes).toFloatArray());
    }

    @Test
    void aConstantFeatureDividesByTheStdFloor() {
        Tensor x = Tensor.fromArray(new float[] {0, 1, 0, 3}, 2, 2);
        Preprocessing p = Preprocessing.none().thenStandardize(new TensorDataset(x, Tensor.zeros(2)), 0.01f);
        assertArrayEquals(new float[] {0.01f, 1}, ((Preprocessing.Normalize) p.steps().get(0)).std());
        // A test value of 0.5 in the constant feature: (0.5 - 0) / 0.01 = 50, finite.
        assertEquals(50f, p.apply(Tensor.fromArray(new float[] {0.5f, 2}, 1, 2)).get(0, 0), 1e-4f);
        assertEquals(Preprocessing.DEFAULT_STD_FLOOR,
                ((Preprocessing.Normalize) Preprocessing.none().thenStandardize(new TensorDataset(x, Tensor.zeros(2))).steps().get(0)).std()[0]);
    }

    @Test
    void jsonRoundTripGivesBitIdenticalOutputs() {
        Generator g = new Generator(3);
        Tensor train = Tensor.rand(g, 64, 1, 4, 4).mul(255f);
        TensorDataset d = new TensorDataset(train, Tensor.zeros(64));
        Preprocessing p = Preprocessing.of(new Preprocessing.Scale(255)).thenNormalize(d, 1).thenStandardize(d);
        String json = p.toJson();
        assertTrue(json.startsWith("{\"format\":\"nn4j-preprocessing-1\",\"steps\":[{\"op\":\"scale\",\"divisor\":255.0},{\"op\":\"normalize\""), json);
        Preprocessing back = Preprocessing.fromJson(json);
        assertEquals(p, back);
        assertEquals(json, back.toJson());
        Tensor test = Tensor.rand(g, 10, 1, 4, 4).mul(255f);
        assertArrayEquals(bits(p.apply(test)), bits(back.apply(test)));
        assertEquals("nn4j.preprocessing", Preprocessing.METADATA_KEY);
        assertEquals(Preprocessing.none(), Preprocessing.fromJson(Preprocessing.none().toJson()));
    }

    @Test
    void applyToGivesADatasetViewWithPreprocessedInputs() {
        TensorDataset d = new TensorDataset(Tensor.of(0, 255).reshape(2, 1), Tensor.of(1, 0), List.of("x", "y"));
        Dataset view = Preprocessing.of(new Preprocessing.Scale(255)).applyTo(d);
        Batch b = view.batch(new int[] {1, 0});
        assertArrayEquals(new float[] {1, 0}, b.inputs().toFloatArray());
        assertArrayEquals(new float[] {0, 1}, b.targets().toFloatArray());
        assertEquals(List.of("x", "y"), view.classes());
        assertEquals(2, view.size());
    }

    @Test
    void precomputeGivesTheSameBatchesAsTheViewFromAnInMemoryCopy() {
        Generator g = new Generator(5);
        TensorDataset d = new TensorDataset(Tensor.rand(g, 50, 1, 4, 4).mul(255f), Tensor.arange(50), List.of("a"));
        Preprocessing p = Preprocessing.of(new Preprocessing.Scale(255)).thenNormalize(d, 1);
        Dataset view = p.applyTo(d);
        TensorDataset once = p.precompute(d);
        assertEquals(50, once.size());
        assertEquals(List.of("a"), once.classes());
        int[] idx = {49, 0, 17, 17, 3};
        assertArrayEquals(bits(view.batch(idx).inputs()), bits(once.batch(idx).inputs()));
        assertArrayEquals(view.batch(idx).targets().toFloatArray(), once.batch(idx).targets().toFloatArray());
        assertArrayEquals(new int[] {5, 1, 4, 4}, once.batch(idx).inputs().shape());
        // of a subset too, in its own order
        Subset part = new Subset(d, new int[] {7, 2, 40});
        assertArrayEquals(bits(p.applyTo(part).batch(new int[] {0, 1, 2}).inputs()), bits(p.precompute(part).inputs()));
    }

    @Test
    void fitsInMemoryComparesTheCopyWithAQuarterOfTheHeap() {
        assertTrue(Preprocessing.fitsInMemory(new TensorDataset(Tensor.zeros(100, 784), Tensor.zeros(100))));
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        int examples = (int) Math.min(Integer.MAX_VALUE, quarter / (1000 * Float.BYTES) + 1);
        Dataset huge = new Dataset() {                  // one example of 1000 values, said to be many
            @Override public int size() { return examples; }
            @Override public Batch batch(int[] indices) { return new Batch(Tensor.zeros(indices.length, 1000), Tensor.zeros(indices.length)); }
        };
        assertTrue(!Preprocessing.fitsInMemory(huge), "a copy of over a quarter of the heap");
    }

    @Test
    void badParametersInputsAndDocumentsAreErrorsThatSayWhy() {
        assertMessage("Scale: divisor must be finite and not 0 but was 0.0", () -> new Preprocessing.Scale(0));
        assertMessage("Normalize: mean and std need the same non-zero length but have 2 and 1", () -> new Preprocessing.Normalize(new float[2], new float[1]));
        assertMessage("group 0 has mean 0.0 and std 0.0", () -> new Preprocessing.Normalize(new float[1], new float[1]));
        Preprocessing.Normalize three = new Preprocessing.Normalize(new float[3], new float[] {1, 1, 1});
        assertMessage("Normalize: inputs [2, 784] must be a batch [B, …] whose 784 values per example divide into 3 groups",
                () -> three.apply(Tensor.zeros(2, 784)));
        assertMessage("thenStandardize: the training split is empty",
                () -> Preprocessing.none().thenStandardize(new TensorDataset(Tensor.zeros(0, 2), Tensor.zeros(0))));
        assertMessage("preprocessing: not valid JSON", () -> Preprocessing.fromJson("{"));
        assertMessage("expected an object with \"format\": \"nn4j-preprocessing-1\"", () -> Preprocessing.fromJson("{\"steps\":[]}"));
        assertMessage("preprocessing: step 0: unknown op \"crop\"; known ops: scale, normalize",
                () -> Preprocessing.fromJson("{\"format\":\"nn4j-preprocessing-1\",\"steps\":[{\"op\":\"crop\"}]}"));
        assertMessage("preprocessing: step 0 \"std\" must be an array of numbers",
                () -> Preprocessing.fromJson("{\"format\":\"nn4j-preprocessing-1\",\"steps\":[{\"op\":\"normalize\",\"mean\":[0]}]}"));
        assertMessage("preprocessing: step 1: Normalize: group 0 has mean 0.0 and std -1.0",
                () -> Preprocessing.fromJson("{\"format\":\"nn4j-preprocessing-1\",\"steps\":[{\"op\":\"scale\",\"divisor\":2},"
                        + "{\"op\":\"normalize\",\"mean\":[0],\"std\":[-1]}]}"));
    }
}
