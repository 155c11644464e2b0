package dev.nn4j.serve.http;

import dev.nn4j.serve.ServeException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding binary tensor data: unsigned types take their full range, floating types must be finite. */
class BinaryTensorsTest {
    private static float[] read(String datatype, int count, ByteBuffer bytes) {
        byte[] body = bytes.array();
        return new BinaryTensors.Tail(body, 0, true).read("input", datatype, body.length, count, new int[]{1, count});
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void unsignedTypesReadTheirHighestValues() {
        assertEquals(255f, read("UINT8", 1, le(1).put((byte) -1))[0]);
        assertEquals(-128f, read("INT8", 1, le(1).put((byte) -128))[0]);
        assertEquals(65535f, read("UINT16", 1, le(2).putShort((short) -1))[0]);
        assertEquals(4294967295f, read("UINT32", 1, le(4).putInt(-1))[0]);
        assertEquals(18446744073709551615f, read("UINT64", 1, le(8).putLong(-1L))[0]);
        assertEquals(-1f, read("INT64", 1, le(8).putLong(-1L))[0]);
    }

    @Test
    void nonFiniteFloatingValuesAre400() {
        ServeException e = assertThrows(ServeException.class, () -> read("FP16", 2, le(4).putShort((short) 0).putShort(Float.floatToFloat16(Float.POSITIVE_INFINITY))));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("data[1] = Infinity is not a finite float32"), e.getMessage());
    }

    @Test
    void theTailIsConsumedTensorByTensor() {
        byte[] body = le(12).putFloat(1.5f).putFloat(-2f).putFloat(3f).array();
        BinaryTensors.Tail tail = new BinaryTensors.Tail(body, 4, true);
        assertEquals(8, tail.remaining());
        assertArrayEquals(new float[]{-2f, 3f}, tail.read("input", "FP32", 8, 2, new int[]{1, 2}));
        assertEquals(0, tail.remaining());
    }
}
