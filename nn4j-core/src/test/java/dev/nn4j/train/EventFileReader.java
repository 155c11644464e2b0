package dev.nn4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of TensorBoard event files for the tests: parses TFRecord framing, checks both masked
 * CRC32Cs with its own bitwise CRC32C (not {@code java.util.zip.CRC32C}, which the writer uses), and decodes the
 * protobuf fields generically from the wire format. Shares no code with the writer.
 */
final class EventFileReader {
    /** One decoded {@code Event}: {@code fileVersion} is null for scalar events, {@code tag} null for the header. */
    record Event(double wallTime, long step, String fileVersion, String tag, float value) {
    }

    private EventFileReader() {
    }

    static List<Event> read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        List<Event> events = new ArrayList<>();
        int at = 0;
        while (at < b.length) {
            if (b.length - at < 12) throw new AssertionError("truncated record header at byte " + at + " of " + file);
            long length = le(b, at, 8);
            int headerCrc = (int) le(b, at + 8, 4);
            if (headerCrc != masked(crc32c(b, at, 8))) throw new AssertionError("bad length CRC at byte " + at);
            int data = at + 12;
            if (length > b.length - data - 4) throw new AssertionError("truncated record data at byte " + at);
            int dataCrc = (int) le(b, data + (int) length, 4);
            if (dataCrc != masked(crc32c(b, data, (int) length))) throw new AssertionError("bad data CRC at byte " + at);
            events.add(event(fields(b, data, data + (int) length)));
            at = data + (int) length + 4;
        }
        return events;
    }

    /** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, bit by bit. */
    static int crc32c(byte[] b, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
        }
        return ~crc;
    }

    private static int masked(int crc) {
        return Integer.rotateRight(crc, 15) + 0xa282ead8;
    }

    private static Event event(Map<Integer, List<Object>> f) {
        double wallTime = Double.longBitsToDouble((Long) only(f, 1, 0L));
        long step = (Long) only(f, 2, 0L);
        String version = f.containsKey(3) ? new String((byte[]) only(f, 3, null), StandardCharsets.UTF_8) : null;
        if (!f.containsKey(5)) return new Event(wallTime, step, version, null, Float.NaN);
        byte[] summary = (byte[]) only(f, 5, null);
        Map<Integer, List<Object>> s = fields(summary, 0, summary.length);
        byte[] value = (byte[]) only(s, 1, null);
        Map<Integer, List<Object>> v = fields(value, 0, value.length);
        String tag = new String((byte[]) only(v, 1, null), StandardCharsets.UTF_8);
        float simple = Float.intBitsToFloat((Integer) only(v, 2, null));
        return new Event(wallTime, step, version, tag, simple);
    }

    private static Object only(Map<Integer, List<Object>> fields, int number, Object absent) {
        List<Object> values = fields.get(number);
        if (values == null) {
            if (absent == null) throw new AssertionError("missing field " + number + " in " + fields.keySet());
            return absent;
        }
        if (values.size() != 1) throw new AssertionError("field " + number + " appears " + values.size() + " times");
        return values.getFirst();
    }

    /** Wire format: varint → Long, 64-bit → Long (raw bits), length-delimited → byte[], 32-bit → Integer. */
    private static Map<Integer, List<Object>> fields(byte[] b, int from, int to) {
        Map<Integer, List<Object>> fields = new LinkedHashMap<>();
        int[] at = {from};
        while (at[0] < to) {
            long key = varint(b, at);
            int number = (int) (key >>> 3);
            Object value = switch ((int) (key & 7)) {
                case 0 -> varint(b, at);
                case 1 -> { long v = le(b, at[0], 8); at[0] += 8; yield v; }
                case 2 -> {
                    int n = (int) varint(b, at);
                    byte[] v = java.util.Arrays.copyOfRange(b, at[0], at[0] + n);
                    at[0] += n;
                    yield v;
                }
                case 5 -> { int v = (int) le(b, at[0], 4); at[0] += 4; yield v; }
                default -> throw new AssertionError("unexpected wire type in key " + key);
            };
            fields.computeIfAbsent(number, k -> new ArrayList<>()).add(value);
        }
        if (at[0] != to) throw new AssertionError("message overruns its length by " + (at[0] - to) + " bytes");
        return fields;
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[at[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) return v;
        }
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xFF);
        return v;
    }
}
