package dev.nn4j.data.sets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistFamilyTest {
    private static final MnistFamily MNIST = MnistFamily.MNIST;

    /** No data dir, an empty environment, and home and system directories inside {@code root}; no downloads. */
    private static DatasetOptions isolated(Path root) {
        return DatasetOptions.defaults().withEnv(Map.of()).withUserHome(root.resolve("home"))
                .withSystemDir(root.resolve("system")).withDownload(false);
    }

    /** The value of the first training pixel, which identifies the directory a set was read from. */
    private static int firstPixel(TrainTest data) {
        return Math.round(data.train().inputs().get(0, 0) * 255);
    }

    private static void deleteSet(Path dir) throws IOException {
        for (String f : MnistFamily.FILES) {
            Files.deleteIfExists(dir.resolve(f));
            Files.deleteIfExists(dir.resolve(f + ".gz"));
        }
    }

    @Test
    void lookupOrderIsDataDirThenEnvironmentThenCacheThenSystem(@TempDir Path root) throws IOException {
        Path data = root.resolve("data"), env = root.resolve("env");
        DatasetOptions options = isolated(root).withDataDir(data).withEnv(Map.of("NN4J_DATA", env.toString()));
        List<Path> order = List.of(data.resolve("mnist"), data, env.resolve("mnist"), env,
                root.resolve("home/.cache/nn4j/mnist"), root.resolve("system/mnist"));
        assertEquals(order, MNIST.searchDirs(options));
        // each directory holds a set whose pixels equal 10, 20, …; remove them front to back and watch the next take over
        for (int i = 0; i < order.size(); i++) TinyIdx.writeSet(order.get(i), 10 * (i + 1), i % 2 == 0);
        for (int i = 0; i < order.size(); i++) {
            assertEquals(order.get(i), MNIST.find(options).orElseThrow());
            assertEquals(10 * (i + 1), firstPixel(MNIST.load(options)), "read from " + order.get(i));
            deleteSet(order.get(i));
        }
        assertTrue(MNIST.find(options).isEmpty());
    }

    @Test
    void withoutDataDirOrEnvironmentTheCacheComesBeforeTheSystemDirectory(@TempDir Path root) {
        DatasetOptions options = isolated(root).withEnv(Map.of("NN4J_DATA", " "));
        assertEquals(List.of(root.resolve("home/.cache/nn4j/mnist"), root.resolve("system/mnist")), MNIST.searchDirs(options));
    }

    @Test
    void aDirectoryMissingOneFileIsSkipped(@TempDir Path root) throws IOException {
        DatasetOptions options = isolated(root).withDataDir(root.resolve("data"));
        TinyIdx.writeSet(root.resolve("data"), 7, true);
        Files.delete(root.resolve("data").resolve(MnistFamily.TEST_LABELS + ".gz"));
        TinyIdx.writeSet(root.resolve("system/mnist"), 9, false);
        assertEquals(9, firstPixel(MNIST.load(options)));
    }

    @Test
    void plainAndGzipFilesMixAndLoadScaledWithFloatLabelsInBothLayouts(@TempDir Path root) throws IOException {
        Path dir = root.resolve("data");
        TinyIdx.writeSet(dir, 51, true);
        Files.delete(dir.resolve(MnistFamily.TRAIN_IMAGES + ".gz"));
        TinyIdx.write(dir, MnistFamily.TRAIN_IMAGES, TinyIdx.images(3, 2, 2, 255), false);
        DatasetOptions options = isolated(root).withDataDir(dir);
        TrainTest flat = MNIST.load(options);
        assertArrayEquals(new int[] {3, 4}, flat.train().inputs().shape());
        assertArrayEquals(new float[] {1, 1, 1, 1}, flat.train().inputs().select(0, 2).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 0}, flat.train().targets().toFloatArray());
        assertArrayEquals(new float[] {2, 1}, flat.test().targets().toFloatArray());
        assertEquals(51 / 255f, flat.test().inputs().get(1, 3));
        assertEquals(MNIST.classes(), flat.classes());
        TrainTest chw = MNIST.load(options.withLayout(ImageLayout.CHW));
        assertArrayEquals(new int[] {2, 1, 2, 2}, chw.test().inputs().shape());
        assertArrayEquals(flat.test().inputs().toFloatArray(), chw.test().inputs().toFloatArray());
    }

    @Test
    void imageAndLabelCountsMustAgreeAndTheErrorNamesBothFiles(@TempDir Path root) {
        Path dir = TinyIdx.writeSet(root.resolve("data"), 1, true);
        Path labels = TinyIdx.write(dir, MnistFamily.TRAIN_LABELS, TinyIdx.labels(1, 2, 0, 1), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MNIST.load(isolated(root).withDataDir(dir)));
        assertTrue(e.getMessage().contains(dir.resolve(MnistFamily.TRAIN_IMAGES + ".gz") + " holds 3 images")
                && e.getMessage().contains(labels + " holds 4 labels"), e.getMessage());
    }

    @Test
    void aLabelBeyondTheClassesIsAnError(@TempDir Path root) {
        Path dir = TinyIdx.writeSet(root.resolve("data"), 1, true);
        TinyIdx.write(dir, MnistFamily.TEST_LABELS, TinyIdx.labels(2, 10), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MNIST.load(isolated(root).withDataDir(dir)));
        assertTrue(e.getMessage().contains("label 10 at index 1") && e.getMessage().contains("only 10 classes"), e.getMessage());
    }

    @Test
    void absentWithDownloadsOffSaysWhichFilesToPutWhere(@TempDir Path root) {
        DatasetOptions options = isolated(root).withEnv(Map.of("NN4J_DATA", root.resolve("env").toString()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MNIST.load(options));
        assertTrue(e.getMessage().startsWith("mnist was not found and downloading is turned off"), e.getMessage());
        assertMentionsFilesAndDirectories(e.getMessage(), MNIST.searchDirs(options));
    }

    @Test
    void offlineTheErrorSaysWhichFilesToPutWhere(@TempDir Path root) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections to it are refused
        }
        DatasetOptions options = isolated(root).withDownload(true).withMirror(URI.create("http://127.0.0.1:" + port + "/mnist/"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MnistFamily.FASHION_MNIST.load(options));
        assertTrue(e.getMessage().startsWith("fashion-mnist was not found and the download mirrors cannot be reached (offline?): cannot reach http://127.0.0.1:"),
                e.getMessage());
        assertMentionsFilesAndDirectories(e.getMessage(), MnistFamily.FASHION_MNIST.searchDirs(options));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        Path cache = options.cacheDir("fashion-mnist");
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(), left.toList(), "no partial files are left in the cache");
        }
    }

    private static void assertMentionsFilesAndDirectories(String message, List<Path> dirs) {
        for (String f : MnistFamily.FILES) assertTrue(message.contains(f + ".gz"), f + " in: " + message);
        for (Path d : dirs) assertTrue(message.contains(d.toString()), d + " in: " + message);
    }

    @Test
    void absentFilesAreDownloadedIntoTheCacheCheckedAndFoundThereNextTime(@TempDir Path root) throws IOException {
        try (LocalMirror mirror = new LocalMirror()) {
            // the first mirror lacks the files (404), the second serves them
            Path src = TinyIdx.writeSet(root.resolve("src"), 33, true);
            Map<String, String> sums = new HashMap<>();
            for (String f : MnistFamily.FILES) {
                mirror.files.put("/good/" + f + ".gz", Files.readAllBytes(src.resolve(f + ".gz")));
                sums.put(f + ".gz", Downloader.sha256(src.resolve(f + ".gz")));
            }
            MnistFamily tiny = new MnistFamily("tiny", List.of("a", "b", "c"), List.of(mirror.uri("missing/"), mirror.uri("good/")), sums);
            List<String> finished = new ArrayList<>();
            DatasetOptions options = isolated(root).withDownload(true)
                    .withListener((file, so, total) -> { if (so == total) finished.add(file); });
            TrainTest data = tiny.load(options);
            assertEquals(33, firstPixel(data));
            assertEquals(List.of("a", "b", "c"), data.classes());
            assertEquals(MnistFamily.FILES.stream().map(f -> f + ".gz").toList(), finished);
            Path cache = root.resolve("home/.cache/nn4j/tiny");
            try (Stream<Path> s = Files.list(cache)) {
                assertEquals(MnistFamily.FILES.stream().map(f -> f + ".gz").sorted().toList(), s.map(p -> p.getFileName().toString()).sorted().toList());
            }
            int requests = mirror.requests.get();
            assertEquals(8, requests, "one 404 and one download per file");
            tiny.load(options);
            assertEquals(requests, mirror.requests.get(), "the second load reads the cache");
        }
    }

    @Test
    void aDownloadWithTheWrongChecksumFailsAndLeavesNothing(@TempDir Path root) throws IOException {
        try (LocalMirror mirror = new LocalMirror()) {
            Path src = TinyIdx.writeSet(root.resolve("src"), 33, true);
            for (String f : MnistFamily.FILES) mirror.files.put("/" + f + ".gz", Files.readAllBytes(src.resolve(f + ".gz")));
            // the canonical MNIST sums do not match these tiny files
            DatasetOptions options = isolated(root).withDownload(true).withMirror(mirror.uri(""));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> MNIST.load(options));
            assertTrue(e.getMessage().startsWith("mnist was not found and downloading it failed: checksum mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"), e.getMessage());
            try (Stream<Path> left = Files.list(options.cacheDir("mnist"))) {
                assertEquals(List.of(), left.toList());
            }
        }
    }
}
