package dev.nn4j.io;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** Tensors of many shapes, including rank 0, empty ones, a non-contiguous view and IEEE special values. */
    static Map<String, Tensor> manyShapes() {
        Generator g = new Generator(3);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("scalar", Tensor.scalar(-1.5f));
        t.put("empty", Tensor.zeros(0));
        t.put("empty.3d", Tensor.zeros(3, 0, 2));
        t.put("one", Tensor.of(42f));
        t.put("vector", Tensor.randn(g, 7));
        t.put("matrix", Tensor.randn(g, 2, 3));
        t.put("cube", Tensor.randn(g, 2, 3, 4));
        t.put("ones.5d", Tensor.ones(1, 1, 1, 1, 1));
        t.put("transposed", Tensor.randn(g, 3, 5).t());
        t.put("special", Tensor.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE));
        t.put("layer.0.wéight ✓", Tensor.arange(6).reshape(2, 3));
        return t;
    }

    static Map<String, String> unicodeMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("ünïcödé", "日本語 😀 \"quoted\" back\\slash\nnew line\ttab \u0001");
        m.put("", "empty key");
        m.put("empty value", "");
        return m;
    }

    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "names in order");
        expected.forEach((name, e) -> {
            Tensor a = actual.get(name);
            assertArrayEquals(e.shape(), a.shape(), name + ": shape");
            float[] ev = e.toFloatArray(), av = a.toFloatArray();
            for (int i = 0; i < ev.length; i++) {
                assertEquals(Float.floatToRawIntBits(ev[i]), Float.floatToRawIntBits(av[i]), name + "[" + i + "] bits");
            }
        });
    }

    @Test
    void roundTripsManyShapesAndUnicodeMetadataThroughAFile() {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, manyShapes(), unicodeMetadata());
        SafetensorsFile read = Safetensors.read(file);
        assertSameTensors(manyShapes(), read.tensors());
        assertEquals(unicodeMetadata(), read.metadata());
        assertEquals(List.copyOf(unicodeMetadata().keySet()), List.copyOf(read.metadata().keySet()), "metadata order");
    }

    @Test
    void roundTripsThroughBytesAndStreams() {
        byte[] bytes = Safetensors.toBytes(manyShapes(), unicodeMetadata());
        assertSameTensors(manyShapes(), Safetensors.read(bytes, "bytes").tensors());
        SafetensorsFile viaStream = Safetensors.read(new ByteArrayInputStream(bytes), "stream");
        assertSameTensors(manyShapes(), viaStream.tensors());
        assertEquals(unicodeMetadata(), viaStream.metadata());
    }

    @Test
    void emptyMapsGiveAMinimalValidFile() {
        byte[] bytes = Safetensors.toBytes(Map.of(), Map.of());
        // header "{}" padded to 8 bytes: length 8, then '{', '}', six spaces, no data
        byte[] expected = {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '};
        assertArrayEquals(expected, bytes);
        SafetensorsFile read = Safetensors.read(bytes, "empty");
        assertEquals(Map.of(), read.tensors());
        assertEquals(Map.of(), read.metadata());
    }

    @Test
    void writesTheExactBytesOfTheFormat() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.of(1f, -2f));
        byte[] bytes = Safetensors.toBytes(tensors, Map.of("k", "v"));
        // Header JSON, counted by hand: {"__metadata__":{"k":"v"},  26 chars, "a":  4, {"dtype":"F32",  15,
        // "shape":[2],  12, "data_offsets":[0,8]}  21, final }  1: 79 bytes, padded with one space to 80.
        String header = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} ";
        byte[] expected = new byte[8 + 80 + 8];
        expected[0] = 80; // little-endian u64 80 = 0x50, then seven zero bytes
        System.arraycopy(header.getBytes(StandardCharsets.US_ASCII), 0, expected, 8, 80);
        // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, least significant byte first
        byte[] data = {0x00, 0x00, (byte) 0x80, 0x3F, 0x00, 0x00, 0x00, (byte) 0xC0};
        System.arraycopy(data, 0, expected, 88, 8);
        assertArrayEquals(expected, bytes);
        assertEquals(0, (8 + 80) % 8, "data section aligned to 8 bytes");
    }

    @Test
    void padsTheHeaderWithFewerThanEightSpacesSoThatDataIsAligned() {
        for (String name : List.of("a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh")) {
            byte[] bytes = Safetensors.toBytes(Map.of(name, Tensor.of(1f)), Map.of());
            int n = bytes[0]; // below 128 here; the other seven length bytes are 0
            assertEquals(0, n % 8, name);
            assertEquals(8 + n + 4, bytes.length, name);
            String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
            String json = header.stripTrailing();
            assertTrue(json.endsWith("}") && n - json.length() < 8, name + ": " + header);
            assertEquals(" ".repeat(n - json.length()), header.substring(json.length()), name);
        }
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, Map.of("old", Tensor.of(1f)));
        Safetensors.write(file, Map.of("new", Tensor.of(2f, 3f)), Map.of("v", "2"));
        SafetensorsFile read = Safetensors.read(file);
        assertEquals(Set.of("new"), read.tensors().keySet());
        assertEquals(List.of(file), filesIn(dir));
    }

    @Test
    void aWriteThatFailsMidwayLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, manyShapes(), Map.of("version", "1"));
        byte[] before = Files.readAllBytes(file);
        IllegalStateException boom = new IllegalStateException("simulated failure while iterating the state dict");
        // A map whose iteration fails after its first entry: the failure comes after the temporary file is opened.
        Map<String, Tensor> failing = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Tensor>> entrySet() {
                return new AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Tensor>> iterator() {
                        return new Iterator<>() {
                            boolean first = true;

                            @Override
                            public boolean hasNext() {
                                return true;
                            }

                            @Override
                            public Entry<String, Tensor> next() {
                                if (!first) throw boom;
                                first = false;
                                return Map.entry("w", Tensor.of(1f));
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return 2;
                    }
                };
            }
        };
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Safetensors.write(file, failing, Map.of("version", "2"))));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), filesIn(dir));
    }

    @Test
    void aRenameThatFailsLeavesNoTemporaryFile() throws IOException {
        // The target is a non-empty directory, so the final atomic move fails after all bytes were written.
        Path target = Files.createDirectory(dir.resolve("taken.safetensors"));
        Path inside = Files.writeString(target.resolve("keep.txt"), "keep");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Safetensors.write(target, manyShapes()));
        assertTrue(e.getMessage().startsWith("cannot write safetensors file " + target), e.getMessage());
        assertEquals(List.of(target), filesIn(dir));
        assertEquals("keep", Files.readString(inside));
    }

    @Test
    void rejectsNamesAndValuesTheFormatCannotHold() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.of(1f)));
        byte[] before = Files.readAllBytes(file);
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("__metadata__", Tensor.of(1f))));
        assertEquals("\"__metadata__\" is reserved for metadata and cannot name a tensor", reserved.getMessage());
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("w", Tensor.of(2f)), nullValue));
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        assertEquals("tensor \"w\" is null", assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, nullTensor)).getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), filesIn(dir));
    }

    @Test
    void readingAMissingFileNamesIt() {
        Path missing = dir.resolve("nope.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Safetensors.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void tensorLookupListsTheNamesWhenOneIsMissing() {
        SafetensorsFile f = Safetensors.read(Safetensors.toBytes(Map.of("w", Tensor.of(1f)), Map.of()), "bytes");
        assertEquals(1f, f.tensor("w").item());
        assertEquals("no tensor \"b\" in the file; it has [w]", assertThrows(IllegalArgumentException.class, () -> f.tensor("b")).getMessage());
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
