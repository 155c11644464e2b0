package dev.nn4j.serve.http;

import dev.nn4j.serve.ServeException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The binary tensor data extension of the Open Inference Protocol: a body is a JSON header of
 * {@code Inference-Header-Content-Length} bytes followed by raw tensors, each little-endian, row-major, without
 * padding, in the order of the tensors that declare a {@code binary_data_size} parameter. BYTES elements are a 4-byte
 * length followed by the bytes. This class reads input tensors from that tail and writes output tensors into one.
 */
final class BinaryTensors {
    /** Header naming the length of the JSON part of a binary body, in requests and responses. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private BinaryTensors() {}

    /** The bytes after the JSON header, consumed tensor by tensor. */
    static final class Tail {
        private final byte[] body;
        private final boolean present;
        private int at;

        /** The tail {@code body[from, body.length)}; {@code present} is false when the request had no header length. */
        Tail(byte[] body, int from, boolean present) {
            this.body = body;
            this.at = from;
            this.present = present;
        }

        /** A request without the extension: no tail. */
        static Tail none() {
            return new Tail(new byte[0], 0, false);
        }

        /** Bytes not yet claimed by a tensor. */
        int remaining() {
            return body.length - at;
        }

        /**
         * Decodes the next {@code size} bytes as {@code count} values of {@code datatype} into float32, checking that
         * the size fits the shape, that the tail holds them, and that every floating value is a finite float32.
         */
        float[] read(String input, String datatype, long size, int count, int[] shape) {
            if (!present) {
                throw bad("input '" + input + "' has binary_data_size but the request has no " + HEADER_LENGTH
                        + " header to say where its JSON part ends");
            }
            int width = width(datatype);
            if (size != (long) count * width) {
                throw bad("input '" + input + "' has binary_data_size " + size + " but shape " + Arrays.toString(shape) + " of "
                        + datatype + " needs " + (long) count * width + " bytes (" + count + " × " + width + ")");
            }
            if (size > remaining()) {
                throw bad("input '" + input + "' has binary_data_size " + size + " but only " + remaining()
                        + " bytes of binary data follow the JSON header");
            }
            ByteBuffer in = ByteBuffer.wrap(body, at, (int) size).order(ByteOrder.LITTLE_ENDIAN);
            at += (int) size;
            float[] out = decode(in, datatype, count);
            if (datatype.startsWith("FP")) {
                for (int i = 0; i < count; i++) {
                    if (!Float.isFinite(out[i])) throw bad("data[" + i + "] = " + out[i] + " is not a finite float32");
                }
            }
            return out;
        }
    }

    /** Bytes per element of the numeric datatypes {@link TensorInput} accepts (it has refused the others already). */
    static int width(String datatype) {
        return switch (datatype) {
            case "INT8", "UINT8" -> 1;
            case "INT16", "UINT16", "FP16" -> 2;
            case "INT32", "UINT32", "FP32" -> 4;
            case "INT64", "UINT64", "FP64" -> 8;
            default -> throw new IllegalArgumentException("not a numeric datatype: " + datatype);
        };
    }

    /** {@code count} little-endian values of {@code datatype} as float32; one loop per datatype. */
    private static float[] decode(ByteBuffer in, String datatype, int count) {
        float[] out = new float[count];
        switch (datatype) {
            case "FP32" -> in.asFloatBuffer().get(out);
            case "FP64" -> { for (int i = 0; i < count; i++) out[i] = (float) in.getDouble(); }
            case "FP16" -> { for (int i = 0; i < count; i++) out[i] = Float.float16ToFloat(in.getShort()); }
            case "INT8" -> { for (int i = 0; i < count; i++) out[i] = in.get(); }
            case "UINT8" -> { for (int i = 0; i < count; i++) out[i] = in.get() & 0xff; }
            case "INT16" -> { for (int i = 0; i < count; i++) out[i] = in.getShort(); }
            case "UINT16" -> { for (int i = 0; i < count; i++) out[i] = in.getShort() & 0xffff; }
            case "INT32" -> { for (int i = 0; i < count; i++) out[i] = in.getInt(); }
            case "UINT32" -> { for (int i = 0; i < count; i++) out[i] = in.getInt() & 0xffffffffL; }
            case "INT64" -> { for (int i = 0; i < count; i++) out[i] = in.getLong(); }
            case "UINT64" -> { for (int i = 0; i < count; i++) out[i] = (float) unsigned(in.getLong()); }
            default -> throw new IllegalArgumentException("not a numeric datatype: " + datatype);
        }
        return out;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** Output tensors written as binary data: FP32 values, INT64 values, or BYTES strings. */
    static byte[] fp32(float[] values) {
        ByteBuffer out = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(values);
        return out.array();
    }

    static byte[] int64(long[] values) {
        ByteBuffer out = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        out.asLongBuffer().put(values);
        return out.array();
    }

    static byte[] strings(List<String> values) {
        byte[][] utf8 = new byte[values.size()][];
        int size = 0;
        for (int i = 0; i < utf8.length; i++) {
            utf8[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            size += 4 + utf8[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] s : utf8) out.putInt(s.length).put(s);
        return out.array();
    }

    private static ServeException bad(String message) {
        return new ServeException(400, message);
    }
}
