package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {
    /** Example i has inputs [i, 100 + i] and target i % 3, so a batch shows which examples it holds. */
    static TensorDataset numbered(int n) {
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 100 + i;
            y[i] = i % 3;
        }
        return new TensorDataset(Tensor.fromArray(x, n, 2), Tensor.fromArray(y, n));
    }

    /** Every batch's inputs and targets of one pass, flattened, in order. */
    static List<float[]> pass(Iterable<Batch> loader) {
        List<float[]> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b.inputs().toFloatArray());
            out.add(b.targets().toFloatArray());
        }
        return out;
    }

    static void assertSamePasses(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "array " + i);
    }

    @Test
    void unshuffledPassKeepsOrderAndTheLastPartialBatch() {
        DataLoader loader = new DataLoader(numbered(7), 3);
        List<float[]> p = pass(loader);
        assertEquals(3, loader.batchesPerEpoch());
        assertArrayEquals(new float[] {0, 100, 1, 101, 2, 102}, p.get(0));
        assertArrayEquals(new float[] {6, 106}, p.get(4));
        assertArrayEquals(new float[] {0}, p.get(5));
    }

    @Test
    void dropLastDropsTheIncompleteBatch() {
        DataLoader loader = new DataLoader(numbered(7), 3, false, true, new Generator(1));
        assertEquals(2, loader.batchesPerEpoch());
        assertEquals(4, pass(loader).size());
    }

    @Test
    void shuffledEpochsAreSeededPermutationsAndDifferBetweenEpochs() {
        DataLoader a = new DataLoader(numbered(50), 8, true, false, new Generator(7));
        DataLoader b = new DataLoader(numbered(50), 8, true, false, new Generator(7));
        List<float[]> first = pass(a), again = pass(b);
        assertSamePasses(first, again);
        List<Float> seen = new ArrayList<>();
        for (int i = 0; i < first.size(); i += 2) for (int j = 0; j < first.get(i).length; j += 2) seen.add(first.get(i)[j]);
        assertEquals(50, seen.stream().distinct().count(), "one pass visits every example once");
        assertNotEquals(List.of(first.get(0)[0], first.get(0)[2]), List.of(pass(a).get(0)[0], pass(a).get(0)[2]), "a new epoch draws a new order");
    }

    @Test
    void prefetchGivesExactlyTheSameBatchesAndGeneratorState() {
        Transform augment = new GaussianNoise(0.5);
        for (int depth = 1; depth <= DataLoader.MAX_PREFETCH; depth++) {
            Generator plain = new Generator(3), ahead = new Generator(3);
            DataLoader serial = new DataLoader(numbered(37), 5, true, false, plain).withTransform(augment);
            DataLoader prefetched = new DataLoader(numbered(37), 5, true, false, ahead).withTransform(augment).withPrefetch(depth);
            for (int epoch = 0; epoch < 3; epoch++) {
                assertSamePasses(pass(serial), pass(prefetched));
                assertEquals(plain.state(), ahead.state(), "generator state after epoch " + epoch + ", depth " + depth);
            }
        }
    }

    @Test
    void augmentationIsUnaffectedByOtherDrawsOnTheRunGeneratorDuringThePass() {
        // The training thread draws dropout masks from the run's generator while the prefetch thread augments:
        // the augmentation comes from a seed drawn when the pass starts, so the batches cannot depend on those draws.
        Generator quiet = new Generator(11), busy = new Generator(11);
        DataLoader a = new DataLoader(numbered(40), 4, true, true, quiet).withTransform(new GaussianNoise(1)).withPrefetch(2);
        DataLoader b = new DataLoader(numbered(40), 4, true, true, busy).withTransform(new GaussianNoise(1)).withPrefetch(2);
        List<float[]> expected = pass(a), actual = new ArrayList<>();
        for (Batch batch : b) {
            for (int i = 0; i < 1000; i++) busy.nextLong();
            actual.add(batch.inputs().toFloatArray());
            actual.add(batch.targets().toFloatArray());
        }
        assertSamePasses(expected, actual);
    }

    @Test
    void transformChangesInputsOnlyAndIsSeededByTheRunGenerator() {
        DataLoader loader = new DataLoader(numbered(6), 6, false, false, new Generator(5)).withTransform((x, g) -> x.add((float) g.nextInt(1000)));
        Batch b = loader.iterator().next();
        float offset = new Generator(new Generator(5).nextLong()).nextInt(1000);
        assertArrayEquals(new float[] {offset, 100 + offset}, new float[] {b.inputs().get(0, 0), b.inputs().get(0, 1)});
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, b.targets().toFloatArray());
    }

    @Test
    void identityTransformDrawsNothingFromTheGenerator() {
        Generator g = new Generator(9);
        pass(new DataLoader(numbered(10), 3, false, false, g).withTransform(Transform.identity()));
        assertEquals(9, g.state());
    }

    @Test
    void exceptionOnThePrefetchThreadIsRethrownToTheConsumerAtItsBatch() throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("disk read failed at batch 2");
        AtomicInteger calls = new AtomicInteger();
        TensorDataset inner = numbered(20);
        Dataset failing = new Dataset() {
            public int size() {
                return inner.size();
            }

            public Batch batch(int[] indices) {
                if (calls.getAndIncrement() == 2) throw boom;
                return inner.batch(indices);
            }
        };
        DataLoader.Pass pass = new DataLoader(failing, 4).withPrefetch(1).iterator();
        pass.next();
        pass.next();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, pass::next);
        assertSame(boom, thrown);
        assertEquals("disk read failed at batch 2", thrown.getMessage());
        assertFalse(pass.hasNext());
        Thread t = ((Prefetcher) pass).thread();
        t.join(5000);
        assertFalse(t.isAlive());
    }

    @Test
    void closingAnAbandonedPassStopsItsThread() throws InterruptedException {
        DataLoader.Pass pass = new DataLoader(numbered(100), 2).withPrefetch(2).iterator();
        pass.next();
        Thread t = ((Prefetcher) pass).thread();
        pass.close();
        t.join(5000);
        assertFalse(t.isAlive(), "prefetch thread still running after close()");
        assertFalse(pass.hasNext());
        assertThrows(NoSuchElementException.class, pass::next);
        pass.close(); // idempotent
    }

    @Test
    void anAbandonedPassThatIsCollectedStopsItsThread() throws InterruptedException {
        Iterator<Batch> pass = new DataLoader(numbered(100), 2).withPrefetch(1).iterator();
        pass.next();
        Thread t = ((Prefetcher) pass).thread();
        assertTrue(t.isDaemon(), "a prefetch thread never keeps the JVM alive");
        WeakReference<Object> ref = new WeakReference<>(pass);
        pass = null;
        for (int i = 0; i < 100 && t.isAlive(); i++) {
            System.gc();
            t.join(50);
        }
        assertTrue(ref.refersTo(null), "the abandoned pass was not collected");
        assertFalse(t.isAlive(), "prefetch thread of a collected pass still running");
    }

    @Test
    void exhaustedPrefetchPassEndsItsThread() throws InterruptedException {
        DataLoader.Pass pass = new DataLoader(numbered(9), 4).withPrefetch(2).iterator();
        int batches = 0;
        while (pass.hasNext()) {
            pass.next();
            batches++;
        }
        assertEquals(3, batches);
        Thread t = ((Prefetcher) pass).thread();
        t.join(5000);
        assertFalse(t.isAlive());
    }

    @Test
    void emptyDatasetGivesAnEmptyPassWithAndWithoutPrefetch() {
        TensorDataset empty = new TensorDataset(Tensor.zeros(0, 2), Tensor.zeros(0));
        assertFalse(new DataLoader(empty, 4).iterator().hasNext());
        DataLoader.Pass pass = new DataLoader(empty, 4).withPrefetch(1).iterator();
        assertFalse(pass.hasNext());
        assertFalse(((Prefetcher) pass).thread().isAlive());
    }

    @Test
    void badBatchSizeOrPrefetchDepthIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(3), 0));
        assertTrue(e.getMessage().contains("batchSize must be at least 1 but was 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(3), 1).withPrefetch(3));
        assertTrue(e.getMessage().contains("prefetch depth must be 0 (off) to 2 but was 3"), e.getMessage());
    }
}
