package dev.nn4j.train;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Byte-level checks against the examples of the protobuf encoding guide (protobuf.dev/programming-guides/encoding). */
class ProtoWriterTest {
    private static String hex(ProtoWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    @Test
    void encodesTheGuidesVarintAndStringExamples() {
        // field 1 = 150: key (1 << 3 | 0) = 08, 150 = 0b1_0010110 → 96 01
        assertEquals("089601", hex(new ProtoWriter().int64(1, 150)));
        // field 2 = "testing": key (2 << 3 | 2) = 12, length 07, ASCII bytes
        assertEquals("120774657374696e67", hex(new ProtoWriter().string(2, "testing")));
        // field 3 = message{field 1 = 150}: key 1a, length 03, the embedded bytes
        assertEquals("1a03089601", hex(new ProtoWriter().message(3, new ProtoWriter().int64(1, 150))));
    }

    @Test
    void encodesNegativeInt64AsTenByteVarintAndFixedWidthFloatsLittleEndian() {
        assertEquals("10ffffffffffffffffff01", hex(new ProtoWriter().int64(2, -1)));
        // 1.0f = 0x3f800000, key (2 << 3 | 5) = 15
        assertEquals("150000803f", hex(new ProtoWriter().float32(2, 1f)));
        // 1.0 = 0x3ff0000000000000, key (1 << 3 | 1) = 09
        assertEquals("09000000000000f03f", hex(new ProtoWriter().float64(1, 1.0)));
    }

    @Test
    void rejectsFieldNumberZero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().int64(0, 1));
        assertEquals("ProtoWriter: field number must be in [1, 2^29 - 1] but was 0", e.getMessage());
    }
}
