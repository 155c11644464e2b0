package dev.nn4j.data.sets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Loads the real Fashion-MNIST that Debian's {@code dataset-fashion-mnist} installs in /usr/share/datasets/fashion-mnist
 * (CI installs it). The expected values were read from those files with Python's gzip and numpy.
 */
class FashionMnistInstalledTest {
    private static final Path INSTALLED = DatasetOptions.SYSTEM_DIR.resolve("fashion-mnist");

    @Test
    void installedFashionMnistLoads60000And10000WithTheRightLabels(@TempDir Path emptyHome) {
        for (String f : MnistFamily.FILES) {
            if (!Files.isRegularFile(INSTALLED.resolve(f + ".gz"))) {
                fail(INSTALLED.resolve(f + ".gz") + " is missing: install Fashion-MNIST with 'apt-get install dataset-fashion-mnist' (CI installs it)");
            }
        }
        // an empty environment and home so that only the system directory can supply the files; no downloads
        DatasetOptions options = DatasetOptions.defaults().withEnv(Map.of()).withUserHome(emptyHome).withDownload(false);
        assertEquals(INSTALLED, MnistFamily.FASHION_MNIST.find(options).orElseThrow());
        TrainTest data = BuiltinDatasets.load("fashion-mnist", options);

        assertArrayEquals(new int[] {60_000, 784}, data.train().inputs().shape());
        assertArrayEquals(new int[] {10_000, 784}, data.test().inputs().shape());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"), data.classes());
        assertArrayEquals(new float[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, data.train().targets().narrow(0, 0, 10).toFloatArray());
        assertArrayEquals(new float[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, data.test().targets().narrow(0, 0, 10).toFloatArray());
        // balanced classes: 6,000 of each in training, 1,000 in test
        for (int c = 0; c < 10; c++) {
            assertEquals(6_000f, data.train().targets().eq(c).sum().item(), "class " + c);
            assertEquals(1_000f, data.test().targets().eq(c).sum().item(), "class " + c);
        }
        // pixel sums of the first training and last test image: 76,247 and 24,390 (in 0..255 units)
        assertEquals(76_247, Math.round(data.train().inputs().select(0, 0).sum().item() * 255));
        assertEquals(24_390, Math.round(data.test().inputs().select(0, 9_999).sum().item() * 255));
        assertEquals(0f, data.train().inputs().min().item());
        assertEquals(1f, data.train().inputs().max().item());
    }
}
