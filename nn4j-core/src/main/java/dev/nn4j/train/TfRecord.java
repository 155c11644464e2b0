package dev.nn4j.train;

import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorFlow and TensorBoard event files. Each record is
 * <pre>
 *   uint64  length          little-endian
 *   uint32  masked_crc32c(length bytes)
 *   byte    data[length]
 *   uint32  masked_crc32c(data)
 * </pre>
 * with {@code masked_crc32c(x) = ((c >>> 15) | (c << 17)) + 0xa282ead8} where {@code c = CRC32C(x)} (Castagnoli
 * polynomial), all in 32-bit unsigned arithmetic. Reference: TensorFlow's {@code core/lib/io/record_writer.cc}
 * and {@code core/lib/hash/crc32c.h}.
 */
final class TfRecord {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {
    }

    /** Frames {@code data} as one record: 8 + 4 + data.length + 4 bytes. */
    static byte[] frame(byte[] data) {
        byte[] record = new byte[data.length + 16];
        putLongLe(record, 0, data.length);
        putIntLe(record, 8, maskedCrc32c(record, 0, 8));
        System.arraycopy(data, 0, record, 12, data.length);
        putIntLe(record, 12 + data.length, maskedCrc32c(data, 0, data.length));
        return record;
    }

    /** CRC32C of {@code bytes[offset, offset + length)}, masked as TFRecord does so that CRCs of CRCs stay strong. */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static void putLongLe(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    private static void putIntLe(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }
}
