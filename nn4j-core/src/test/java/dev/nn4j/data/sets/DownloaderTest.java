package dev.nn4j.data.sets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloaderTest {
    private static final byte[] BODY = "nn4j test payload, long enough to matter".repeat(5000).getBytes(StandardCharsets.US_ASCII);

    /** SHA-256 of {@code data} via a temporary file in {@code dir}. */
    private static String sha(Path dir, byte[] data) throws IOException {
        Path f = Files.write(dir.resolve("sha-input"), data);
        String s = Downloader.sha256(f);
        Files.delete(f);
        return s;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sha256OfAKnownStringMatchesTheStandardVector(@TempDir Path dir) throws IOException {
        // FIPS 180-2 example: SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha(dir, "abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void goodChecksumLandsTheFileAndReportsProgress(@TempDir Path dir) throws IOException {
        try (LocalMirror mirror = new LocalMirror()) {
            mirror.files.put("/data/f.gz", BODY);
            List<long[]> calls = new ArrayList<>();
            Path target = dir.resolve("cache").resolve("f.gz");
            Downloader.download(mirror.uri("data/f.gz"), sha(dir, BODY), target, (file, so, total) -> {
                assertEquals("f.gz", file);
                calls.add(new long[] {so, total});
            });
            assertArrayEquals(BODY, Files.readAllBytes(target));
            assertEquals(List.of("f.gz"), listing(target.getParent()), "no temporary file is left behind");
            assertArrayEquals(new long[] {0, BODY.length}, calls.getFirst());
            assertArrayEquals(new long[] {BODY.length, BODY.length}, calls.getLast());
            for (int i = 1; i < calls.size(); i++) assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0], "progress never goes back");
        }
    }

    @Test
    void badChecksumDeletesTheDownloadAndNamesBothSums(@TempDir Path dir) throws IOException {
        try (LocalMirror mirror = new LocalMirror()) {
            mirror.files.put("/f.gz", BODY);
            String wrong = "0".repeat(64);
            Path target = dir.resolve("f.gz");
            DownloadException e = assertThrows(DownloadException.class,
                    () -> Downloader.download(mirror.uri("f.gz"), wrong, target, DownloadListener.NONE));
            assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(wrong)
                    && e.getMessage().contains(sha(dir, BODY)), e.getMessage());
            assertFalse(e.unreachable());
            assertEquals(List.of(), listing(dir), "neither the target nor a temporary file remains");
        }
    }

    @Test
    void notFoundIsAnHttpErrorNotAnOfflineOne(@TempDir Path dir) throws IOException {
        try (LocalMirror mirror = new LocalMirror()) {
            DownloadException e = assertThrows(DownloadException.class,
                    () -> Downloader.download(mirror.uri("missing.gz"), "0".repeat(64), dir.resolve("missing.gz"), DownloadListener.NONE));
            assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains(mirror.uri("missing.gz").toString()), e.getMessage());
            assertFalse(e.unreachable());
            assertEquals(List.of(), listing(dir));
        }
    }

    @Test
    void truncatedBodyIsReportedAndDeleted(@TempDir Path dir) throws IOException {
        try (LocalMirror mirror = new LocalMirror()) {
            mirror.files.put("/truncated/f.gz", BODY);
            Path target = dir.resolve("f.gz");
            DownloadException e = assertThrows(DownloadException.class,
                    () -> Downloader.download(mirror.uri("truncated/f.gz"), sha(dir, BODY), target, DownloadListener.NONE));
            assertTrue(e.getMessage().contains("of " + (BODY.length + 100) + " bytes"), e.getMessage());
            assertFalse(e.unreachable());
            assertEquals(List.of(), listing(dir));
        }
    }

    @Test
    void refusedConnectionIsUnreachable(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/f.gz");
        DownloadException e = assertThrows(DownloadException.class,
                () -> Downloader.download(url, "0".repeat(64), dir.resolve("f.gz"), DownloadListener.NONE));
        assertTrue(e.unreachable(), e.getMessage());
        assertEquals("cannot reach " + url + ": connection refused", e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void unknownHostIsUnreachable(@TempDir Path dir) throws IOException {
        URI url = URI.create("http://nn4j-test.invalid/f.gz"); // RFC 6761: .invalid names never resolve
        DownloadException e = assertThrows(DownloadException.class,
                () -> Downloader.download(url, "0".repeat(64), dir.resolve("f.gz"), DownloadListener.NONE));
        assertTrue(e.unreachable(), e.getMessage());
        assertEquals("cannot reach " + url + ": unknown host", e.getMessage());
        assertEquals(List.of(), listing(dir));
    }
}
