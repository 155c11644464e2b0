package dev.nn4j.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The safetensors element types nn4j can read, each with its size and its conversion to float32:
 * F32 as is; F64 and the integer types rounded to nearest float; F16 exactly (IEEE binary16); BF16 exactly
 * (the top 16 bits of a float32); BOOL as 0 or 1 (any other byte is an error). All little-endian.
 */
enum SafetensorsDtype {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private static final ValueLayout.OfFloat LE_F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Bytes per element. */
    final int size;

    SafetensorsDtype(int size) {
        this.size = size;
    }

    /** The dtype with this safetensors name, or null when nn4j cannot read it. */
    static SafetensorsDtype named(String name) {
        for (SafetensorsDtype d : values()) if (d.name().equals(name)) return d;
        return null;
    }

    /** {@code n} elements starting at byte {@code at} of {@code data}, as float32. */
    float[] decode(MemorySegment data, long at, int n) {
        float[] out = new float[n];
        switch (this) {
            case F32 -> MemorySegment.copy(data, LE_F32, at, out, 0, n);
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(data.get(LE_I16, at + 2L * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((data.get(LE_I16, at + 2L * i) & 0xffff) << 16); }
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) data.get(LE_F64, at + 8L * i); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = (float) data.get(LE_I64, at + 8L * i); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = (float) data.get(LE_I32, at + 4L * i); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = data.get(LE_I16, at + 2L * i); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = data.get(ValueLayout.JAVA_BYTE, at + i); }
            case U8 -> { for (int i = 0; i < n; i++) out[i] = data.get(ValueLayout.JAVA_BYTE, at + i) & 0xff; }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    byte b = data.get(ValueLayout.JAVA_BYTE, at + i);
                    if (b != 0 && b != 1) throw new IllegalArgumentException("BOOL element " + i + " is " + (b & 0xff) + ", not 0 or 1");
                    out[i] = b;
                }
            }
        }
        return out;
    }
}
