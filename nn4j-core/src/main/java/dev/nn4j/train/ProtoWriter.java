package dev.nn4j.train;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffer encoder: just the four wire types TensorBoard's {@code Event} needs (varint, 64-bit,
 * length-delimited, 32-bit). Not a general protobuf library: no reading, no schemas, no packed fields.
 * Fields are written in the order they are called; callers write them by ascending number, as protobuf's own
 * serializers do, so that the bytes match theirs.
 * Reference: https://protobuf.dev/programming-guides/encoding/
 */
final class ProtoWriter {
    private static final int VARINT = 0, I64 = 1, LEN = 2, I32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** {@code int64}/{@code uint64} field: the value as a varint (a negative value takes ten bytes). */
    ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    /** {@code double} field: IEEE 754 bits, little-endian. */
    ProtoWriter float64(int field, double value) {
        tag(field, I64);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)));
        return this;
    }

    /** {@code float} field: IEEE 754 bits, little-endian. */
    ProtoWriter float32(int field, float value) {
        tag(field, I32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    /** {@code string} field: the UTF-8 bytes, length-prefixed. */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Embedded message field: the message's bytes, length-prefixed. */
    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** {@code bytes} field: length-prefixed. */
    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LEN);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        if (field < 1 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("ProtoWriter: field number must be in [1, 2^29 - 1] but was " + field);
        }
        varint(((long) field << 3) | wireType);
    }

    /** Base-128 varint: seven bits per byte, least significant group first, high bit set on all but the last. */
    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
