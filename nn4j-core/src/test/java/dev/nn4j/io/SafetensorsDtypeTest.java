package dev.nn4j.io;

import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversions of the stored dtypes to float32, on bytes written by hand (little-endian, least significant first). */
class SafetensorsDtypeTest {

    /** Builds a file of one tensor per call to {@link #add}, packed in call order. */
    static final class Builder {
        private final StringJoiner header = new StringJoiner(",", "{", "}");
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        Builder add(String name, String dtype, String shape, int... bytes) {
            int begin = data.size();
            for (int b : bytes) data.write(b);
            header.add("\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + data.size() + "]}");
            return this;
        }

        SafetensorsFile read() {
            byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length).put(h).put(data.toByteArray());
            return Safetensors.read(b.array(), "hand-made");
        }
    }

    private static void assertValues(float[] expected, Tensor actual) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(a[i]), "element " + i + ": " + a[i]);
    }

    @Test
    void f16IsWidenedExactly() {
        // binary16 = sign | 5-bit exponent (bias 15) | 10-bit fraction:
        // 0x3C00 = 2^0 = 1; 0xC100 = -(1 + 256/1024)·2^1 = -2.5; 0x7BFF = (2 - 2^-10)·2^15 = 65504 (largest);
        // 0x0001 = 2^-10·2^-14 = 2^-24 (smallest subnormal); 0x7C00 = +inf; 0xFC00 = -inf; 0x8000 = -0
        SafetensorsFile f = new Builder().add("h", "F16", "[2,4]",
                0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0x7C, 0x00, 0xFC, 0x00, 0x80, 0x00, 0x7E).read();
        assertArrayEquals(new int[] {2, 4}, f.tensor("h").shape());
        float[] v = f.tensor("h").toFloatArray();
        assertValues(new float[] {1f, -2.5f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f}, Tensor.of(Arrays.copyOf(v, 7)));
        assertTrue(Float.isNaN(v[7]), "0x7E00 is a quiet NaN");
    }

    @Test
    void bf16IsTheTopHalfOfAFloat32() {
        // bfloat16 bits b are the float32 bits b << 16: 0x3F80 -> 0x3F800000 = 1; 0xC020 -> 0xC0200000 = -2.5;
        // 0x7F80 -> +inf; 0x0001 -> 0x00010000 = 2^-133 (a float32 subnormal)
        SafetensorsFile f = new Builder().add("b", "BF16", "[4]", 0x80, 0x3F, 0x20, 0xC0, 0x80, 0x7F, 0x01, 0x00).read();
        assertValues(new float[] {1f, -2.5f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x00010000)}, f.tensor("b"));
    }

    @Test
    void f64AndIntegersRoundToNearestFloat() {
        SafetensorsFile f = new Builder()
                // 1.0 = 0x3FF0000000000000; 0.1 = 0x3FB999999999999A rounds to 0.1f
                .add("d", "F64", "[2]", 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F)
                // -1 is all ones; 2^24 + 1 = 0x0000000001000001 is halfway between two floats and rounds to even 2^24
                .add("l", "I64", "[2]", 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0)
                .add("i", "I32", "[2]", 0x00, 0x00, 0x00, 0x80, 0x07, 0x00, 0x00, 0x00) // -2^31, 7
                .add("s", "I16", "[2]", 0x00, 0x80, 0xFF, 0x7F) // -32768, 32767
                .add("c", "I8", "[2]", 0x80, 0x7F) // -128, 127
                .add("u", "U8", "[2]", 0x80, 0xFF) // 128, 255
                .add("m", "BOOL", "[3]", 1, 0, 1)
                .add("e", "I64", "[0,2]")
                .add("z", "U8", "[]", 9)
                .read();
        assertValues(new float[] {1f, 0.1f}, f.tensor("d"));
        assertValues(new float[] {-1f, 16777216f}, f.tensor("l"));
        assertValues(new float[] {-2147483648f, 7f}, f.tensor("i"));
        assertValues(new float[] {-32768f, 32767f}, f.tensor("s"));
        assertValues(new float[] {-128f, 127f}, f.tensor("c"));
        assertValues(new float[] {128f, 255f}, f.tensor("u"));
        assertValues(new float[] {1f, 0f, 1f}, f.tensor("m"));
        assertArrayEquals(new int[] {0, 2}, f.tensor("e").shape());
        assertArrayEquals(new int[0], f.tensor("z").shape());
        assertEquals(9f, f.tensor("z").item());
    }

    @Test
    void f32IsReadLittleEndianAtAnyAlignment() {
        // An I8 tensor first puts the F32 tensor at data offset 1, not a multiple of 4.
        // 1.5f = 0x3FC00000; -0.25f = 0xBE800000
        SafetensorsFile f = new Builder().add("pad", "I8", "[1]", 5).add("w", "F32", "[2]", 0, 0, 0xC0, 0x3F, 0, 0, 0x80, 0xBE).read();
        assertValues(new float[] {1.5f, -0.25f}, f.tensor("w"));
    }
}
