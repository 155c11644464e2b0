package dev.nn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    /** A 2×2×3 unsigned-byte IDX file holding 0…11. */
    private static byte[] tinyIdx() {
        byte[] header = {0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3};
        byte[] out = Arrays.copyOf(header, header.length + 12);
        for (int i = 0; i < 12; i++) out[header.length + i] = (byte) i;
        return out;
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    @Test
    void readsPlainAndGzipIdentically() throws IOException {
        Idx.Array plain = Idx.read(new ByteArrayInputStream(tinyIdx()), "tiny");
        Idx.Array gz = Idx.read(new ByteArrayInputStream(gzip(tinyIdx())), "tiny.gz");
        assertArrayEquals(new int[] {2, 2, 3}, plain.dims());
        assertArrayEquals(plain.values(), gz.values());
        assertArrayEquals(plain.dims(), gz.dims());
    }

    @Test
    void truncatedDataNamesFileExpectedAndFound(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cut-images-idx3-ubyte");
        Files.write(f, Arrays.copyOf(tinyIdx(), tinyIdx().length - 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("need 12 bytes") && e.getMessage().contains("only 7"), e.getMessage());
    }

    @Test
    void truncatedGzipIsReportedAsTruncated() throws IOException {
        byte[] gz = gzip(tinyIdx());
        byte[] cut = Arrays.copyOf(gz, gz.length - 12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(new ByteArrayInputStream(cut), "x.gz"));
        assertTrue(e.getMessage().startsWith("x.gz: truncated"), e.getMessage());
    }

    @Test
    void badMagicTypeAndTrailingDataAreErrors() {
        byte[] badMagic = tinyIdx();
        badMagic[0] = 7;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Idx.read(new ByteArrayInputStream(badMagic), "m"))
                .getMessage().contains("not an IDX file"));
        byte[] floats = tinyIdx();
        floats[2] = 0x0D;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Idx.read(new ByteArrayInputStream(floats), "f"))
                .getMessage().contains("0x0d is not supported"));
        byte[] longer = Arrays.copyOf(tinyIdx(), tinyIdx().length + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Idx.read(new ByteArrayInputStream(longer), "l"))
                .getMessage().contains("more data than dims"));
        byte[] headerOnly = Arrays.copyOf(tinyIdx(), 6);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Idx.read(new ByteArrayInputStream(headerOnly), "h"))
                .getMessage().contains("ends inside size 0"));
    }
}
