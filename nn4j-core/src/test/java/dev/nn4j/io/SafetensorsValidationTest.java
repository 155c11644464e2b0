package dev.nn4j.io;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every check {@link Safetensors#read} makes, each on a file corrupted by hand, with the message it gives. */
class SafetensorsValidationTest {
    private static final String SOURCE = "bad.safetensors";

    /** A file with the given header length field, header bytes and {@code dataBytes} zero bytes of data. */
    static byte[] file(long headerLength, byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header);
        return b.array();
    }

    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, dataBytes);
    }

    /** The problem reported for {@code bytes}, after checking that the message names the source. */
    static String problem(byte[] bytes) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> Safetensors.read(bytes, SOURCE));
        assertEquals(SOURCE, e.file());
        assertEquals("model file " + SOURCE + ": " + e.problem(), e.getMessage());
        return e.problem();
    }

    static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test
    void fileShorterThanTheLengthField() {
        assertEquals("is 5 bytes long, too short for the 8-byte header length; not a safetensors file", problem(new byte[5]));
        assertEquals("is 0 bytes long, too short for the 8-byte header length; not a safetensors file", problem(new byte[0]));
    }

    @Test
    void headerLengthBeyondTheFile() {
        assertEquals("header length 100 is larger than the 20 bytes after the length field; is the file truncated?",
                problem(file(100, new byte[20], 0)));
    }

    @Test
    void absurdHeaderLength() {
        // All ones: 2^64-1 as an unsigned length, negative as a Java long; and one byte above the limit.
        assertEquals("header length 18446744073709551615 is larger than the limit of 100000000 bytes; not a safetensors file?",
                problem(file(-1L, new byte[4], 0)));
        assertEquals("header length 100000001 is larger than the limit of 100000000 bytes; not a safetensors file?",
                problem(file(100_000_001L, new byte[4], 0)));
    }

    @Test
    void headerNotUtf8() {
        byte[] header = {'{', '"', (byte) 0xFF, '"', ':', '1', '}'};
        assertEquals("header is not valid UTF-8: invalid UTF-8 at byte offset 2 (0xff)", problem(file(header.length, header, 0)));
    }

    @Test
    void headerNotJson() {
        assertEquals("header is not valid JSON: JSON error at line 1, column 6 (offset 5): unexpected end of input, expected a JSON value",
                problem(file("{\"a\":", 0)));
        assertEquals("header is not valid JSON: JSON error at line 1, column 1 (offset 0): unexpected end of input, expected a JSON value",
                problem(file("", 0)));
    }

    @Test
    void headerNotAnObject() {
        assertEquals("header must be a JSON object but is an array", problem(file("[1, 2]", 0)));
        assertEquals("header must be a JSON object but is a string", problem(file("\"{}\"", 0)));
        assertEquals("header must begin with '{' but begins with whitespace", problem(file(" {}", 0)));
    }

    @Test
    void duplicateKeys() {
        String header = "{" + entry("w", "F32", "[1]", "[0,4]") + "," + entry("w", "F32", "[1]", "[4,8]") + "}";
        assertEquals("header is not valid JSON: JSON error at line 1, column 55 (offset 54): duplicate key \"w\" in the object starting at offset 0",
                problem(file(header, 8)));
        assertTrue(problem(file("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0)).contains("duplicate key \"k\""));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{\"w\":3}`                                                          | tensor \"w\": entry must be an object but is a number",
            "`{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}`                     | tensor \"w\": missing \"dtype\"",
            "`{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}`                 | tensor \"w\": missing \"shape\"",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}`                          | tensor \"w\": missing \"data_offsets\"",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"offsets\":[0,4]}}`        | tensor \"w\": unexpected field \"offsets\" (expected dtype, shape, data_offsets)",
            "`{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}`        | tensor \"w\": dtype must be a string but is a number",
            "`{\"w\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]}}`   | tensor \"w\": unsupported dtype \"U16\"; nn4j reads [F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL]",
            "`{\"w\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}`   | tensor \"w\": unsupported dtype \"f32\"; nn4j reads [F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL]",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}`     | tensor \"w\": shape must be an array of integers but is a number",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}` | tensor \"w\": shape must be an array of integers but is [1.0]",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}` | tensor \"w\": shape must be an array of integers but is [\"1\"]",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}`     | tensor \"w\": data_offsets must be an array of 2 integers but is [4]",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":null}}`    | tensor \"w\": data_offsets must be an array of 2 integers but is a null",
            "`{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}` | tensor \"w\": data_offsets [0,99999999999999999999] holds a number beyond 2^63-1",
    })
    void malformedEntries(String header, String expected) {
        assertEquals(expected, problem(file(header, 4)));
    }

    @Test
    void negativeDimension() {
        assertEquals("tensor \"w\": shape [2, -1] has a negative dimension", problem(file("{" + entry("w", "F32", "[2,-1]", "[0,4]") + "}", 4)));
    }

    @Test
    void tooManyElements() {
        assertEquals("tensor \"w\": shape [65536, 65536] has more than 2^31-1 elements",
                problem(file("{" + entry("w", "F32", "[65536,65536]", "[0,4]") + "}", 4)));
    }

    @Test
    void offsetsNotMatchingShapeTimesDtypeSize() {
        assertEquals("tensor \"w\": data_offsets [0, 12] span 12 bytes but shape [2, 2] of F32 needs 16",
                problem(file("{" + entry("w", "F32", "[2,2]", "[0,12]") + "}", 12)));
        assertEquals("tensor \"h\": data_offsets [0, 8] span 8 bytes but shape [2] of F16 needs 4",
                problem(file("{" + entry("h", "F16", "[2]", "[0,8]") + "}", 8)));
        assertEquals("tensor \"e\": data_offsets [0, 4] span 4 bytes but shape [3, 0] of F32 needs 0",
                problem(file("{" + entry("e", "F32", "[3,0]", "[0,4]") + "}", 4)));
    }

    @Test
    void offsetsOutOfRange() {
        assertEquals("tensor \"w\": data_offsets [-4, 0] are negative", problem(file("{" + entry("w", "F32", "[1]", "[-4,0]") + "}", 4)));
        assertEquals("tensor \"w\": data_offsets [8, 4] begin after they end", problem(file("{" + entry("w", "F32", "[1]", "[8,4]") + "}", 8)));
        assertEquals("tensor \"w\": data_offsets [0, 8] reach past the end of the data section (4 bytes); is the file truncated?",
                problem(file("{" + entry("w", "F32", "[2]", "[0,8]") + "}", 4)));
    }

    @Test
    void overlappingTensors() {
        String header = "{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[4,12]") + "}";
        assertEquals("tensor \"b\" (data_offsets [4, 12]) overlaps tensor \"a\" (data_offsets [0, 8])", problem(file(header, 12)));
        String sameSpan = "{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("b", "I32", "[1]", "[0,4]") + "}";
        assertEquals("tensor \"b\" (data_offsets [0, 4]) overlaps tensor \"a\" (data_offsets [0, 4])", problem(file(sameSpan, 4)));
    }

    @Test
    void gapsBetweenOrBeforeTensors() {
        String between = "{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("b", "F32", "[1]", "[8,12]") + "}";
        assertEquals("gap of 4 bytes before tensor \"b\" (data_offsets [8, 12]); tensors must be packed from byte 0 without gaps",
                problem(file(between, 12)));
        String before = "{" + entry("a", "F32", "[1]", "[4,8]") + "}";
        assertEquals("gap of 4 bytes before tensor \"a\" (data_offsets [4, 8]); tensors must be packed from byte 0 without gaps",
                problem(file(before, 8)));
    }

    @Test
    void tensorsMayBeListedInAnyOrderAndEmptyOnesTakeNoSpace() {
        String header = "{" + entry("b", "F32", "[1]", "[4,8]") + "," + entry("e", "F32", "[0]", "[4,4]") + "," + entry("a", "F32", "[1]", "[0,4]") + "}";
        SafetensorsFile f = Safetensors.read(file(header, 8), SOURCE);
        assertEquals(List.of("b", "e", "a"), List.copyOf(f.tensors().keySet()));
        assertEquals(0, f.tensor("e").numel());
    }

    @Test
    void trailingGarbage() {
        assertEquals("data section has 6 bytes but the tensors end at byte 4: 2 trailing bytes",
                problem(file("{" + entry("w", "F32", "[1]", "[0,4]") + "}", 6)));
        assertEquals("data section has 3 bytes but the tensors end at byte 0: 3 trailing bytes", problem(file("{}", 3)));
    }

    @Test
    void trailingSpacesInTheHeaderArePadding() {
        SafetensorsFile f = Safetensors.read(file("{" + entry("w", "F32", "[1]", "[0,4]") + "}     ", 4), SOURCE);
        assertEquals(0f, f.tensor("w").item());
    }

    @Test
    void metadataNotAStringToStringMap() {
        assertEquals("__metadata__ must be an object of strings but is an array", problem(file("{\"__metadata__\":[\"x\"]}", 0)));
        assertEquals("__metadata__ value of \"epochs\" must be a string but is a number", problem(file("{\"__metadata__\":{\"epochs\":10}}", 0)));
        assertEquals("__metadata__ value of \"nested\" must be a string but is an object", problem(file("{\"__metadata__\":{\"nested\":{}}}", 0)));
    }

    @Test
    void boolOtherThanZeroOrOne() {
        byte[] bytes = file("{" + entry("m", "BOOL", "[3]", "[0,3]") + "}", 3);
        bytes[bytes.length - 1] = 2;
        assertEquals("tensor \"m\": BOOL element 2 is 2, not 0 or 1", problem(bytes));
    }

    @Test
    void truncatedFileOnDiskNamesThePath(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("cut.safetensors");
        Safetensors.write(path, Map.of("w", Tensor.ones(4, 4)));
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, Arrays.copyOf(bytes, bytes.length - 3));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Safetensors.read(path));
        assertEquals("model file " + path + ": tensor \"w\": data_offsets [0, 64] reach past the end of the data section (61 bytes); is the file truncated?",
                e.getMessage());
        Files.write(path, Arrays.copyOf(bytes, 20)); // cut inside the header
        assertTrue(assertThrows(ModelFileException.class, () -> Safetensors.read(path)).getMessage()
                .matches("model file .*cut.safetensors: header length \\d+ is larger than the 12 bytes after the length field; is the file truncated\\?"));
        byte[] extended = Arrays.copyOf(bytes, bytes.length + 5); // five zero bytes appended to the intact file
        Files.write(path, extended);
        assertEquals("model file " + path + ": data section has 69 bytes but the tensors end at byte 64: 5 trailing bytes",
                assertThrows(ModelFileException.class, () -> Safetensors.read(path)).getMessage());
    }
}
