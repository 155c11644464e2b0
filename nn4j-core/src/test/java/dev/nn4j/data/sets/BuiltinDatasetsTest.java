package dev.nn4j.data.sets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BuiltinDatasetsTest {

    @Test
    void mnistSampleIsTheEmbeddedDigitsSplit8000And2000InEitherLayout() {
        TrainTest flat = BuiltinDatasets.load("mnist-sample");
        assertArrayEquals(new int[] {8_000, 784}, flat.train().inputs().shape());
        assertArrayEquals(new int[] {2_000, 784}, flat.test().inputs().shape());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), flat.classes());
        assertEquals(flat.classes(), flat.test().classes());
        // the same digits as MnistSample, in the same order
        assertArrayEquals(MnistSample.test().labels().toFloatArray(), flat.test().targets().toFloatArray());
        assertArrayEquals(MnistSample.train().images().select(0, 0).toFloatArray(), flat.train().inputs().select(0, 0).toFloatArray());

        TrainTest chw = BuiltinDatasets.load("mnist-sample", DatasetOptions.defaults().withLayout(ImageLayout.CHW));
        assertArrayEquals(new int[] {2_000, 1, 28, 28}, chw.test().inputs().shape());
        assertArrayEquals(flat.test().inputs().toFloatArray(), chw.test().inputs().toFloatArray());
    }

    @Test
    void mnistByNameUsesTheLookup(@TempDir Path root) {
        TinyIdx.writeSet(root.resolve("env").resolve("mnist"), 200, true);
        DatasetOptions options = DatasetOptions.defaults().withEnv(Map.of("NN4J_DATA", root.resolve("env").toString()))
                .withUserHome(root).withSystemDir(root.resolve("system")).withDownload(false);
        TrainTest data = BuiltinDatasets.load("mnist", options);
        assertEquals(3, data.train().size());
        assertEquals(200 / 255f, data.test().inputs().get(0, 0));
        assertEquals(BuiltinDatasets.DIGITS, data.classes());
    }

    @Test
    void anUnknownNameListsTheBuiltInOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BuiltinDatasets.load("cifar10"));
        assertEquals("unknown dataset 'cifar10'; the built-in datasets are mnist-sample, mnist, fashion-mnist", e.getMessage());
    }
}
