package dev.nn4j.io;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes tensors in Hugging Face's safetensors format, byte for byte as PyTorch's
 * {@code safetensors.torch.save_file} and {@code load_file} expect:
 * <pre>
 *   8 bytes   N, the header length: unsigned 64-bit little-endian
 *   N bytes   UTF-8 JSON object, padded at the end with spaces (0x20):
 *             {"__metadata__": {"key": "value", …},
 *              "name": {"dtype": "F32", "shape": [d0, d1, …], "data_offsets": [begin, end]}, …}
 *   rest      the data section: each tensor's elements row-major, little-endian, at [begin, end)
 *             counted from the first byte after the header; packed without gaps or overlaps
 * </pre>
 * <b>Writing</b> stores float32 ({@code F32}) tensors in the map's order, {@code __metadata__} first (omitted when
 * empty), and pads the header so that the data starts at a multiple of 8 bytes. {@link #write(Path, Map, Map)}
 * is atomic: it writes a temporary file in the target's directory, forces it to disk and renames it over the
 * target, so a failure leaves the old file as it was and no temporary file behind.
 * <p><b>Reading</b> returns the tensors in header order as float32: F32 as is, F16 and BF16 exactly, F64, I64,
 * I32, I16, I8 and U8 rounded to the nearest float, BOOL as 0 or 1. Any other dtype (U16, U32, U64, F8_*, …)
 * is an error. The file is checked before any tensor is built; each of these is a {@link ModelFileException}
 * naming the file and the problem: shorter than 8 bytes; header length beyond the file or above
 * {@value #MAX_HEADER_BYTES} bytes; header not UTF-8, not JSON, not an object or not starting with '{';
 * duplicate keys; an entry that is not an object, lacks or mistypes dtype, shape or data_offsets, or has other
 * fields; a negative dimension; offsets that disagree with shape × dtype size, run past the data section,
 * overlap or leave gaps; bytes after the last tensor; {@code __metadata__} that is not a string → string map.
 * {@snippet :
 * Map<String, Tensor> state = new LinkedHashMap<>();   // written in this order
 * state.put("0.weight", w);
 * state.put("0.bias", b);
 * Safetensors.write(Path.of("mlp.safetensors"), state, Map.of("epochs", "10"));
 * SafetensorsFile f = Safetensors.read(Path.of("mlp.safetensors"));
 * Tensor w = f.tensor("0.weight");
 * }
 * Reference: <a href="https://github.com/huggingface/safetensors#format">safetensors format</a>.
 */
public final class Safetensors {
    /** Largest header accepted, as in the reference implementation: a larger one is a corrupt or hostile file. */
    public static final int MAX_HEADER_BYTES = 100_000_000;
    static final String METADATA_KEY = "__metadata__";
    private static final List<String> ENTRY_FIELDS = List.of("dtype", "shape", "data_offsets");
    /** Floats converted per write chunk (256 KiB of data). */
    private static final int CHUNK = 1 << 16;

    private Safetensors() {}

    // ------------------------------------------------------------------ writing

    /** {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path path, Map<String, Tensor> tensors) {
        write(path, tensors, Map.of());
    }

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code path} atomically, replacing any old file. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Path target = path.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                write(out, tensors, metadata);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot write safetensors file " + path + ": " + e, e);
            deleteAfterFailure(tmp, failure);
            throw failure;
        } catch (Throwable e) {
            deleteAfterFailure(tmp, e);
            throw e;
        }
    }

    /** Removes the temporary file of a failed write, recording a failure to do so on {@code failure}. */
    private static void deleteAfterFailure(Path tmp, Throwable failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /** The bytes of a safetensors file holding {@code tensors} and {@code metadata}. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Streams a safetensors file to {@code out} (not closed). */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>(tensors.entrySet());
        byte[] header = header(entries, metadata == null ? Map.of() : metadata);
        // Pad with spaces so that the data section starts at a multiple of 8 bytes (8 + header length).
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(header);
        while (prefix.hasRemaining()) prefix.put((byte) ' ');
        out.write(prefix.array());
        ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : entries) {
            float[] values = e.getValue().toFloatArray();
            for (int from = 0; from < values.length; from += CHUNK) {
                int n = Math.min(CHUNK, values.length - from);
                chunk.clear();
                chunk.asFloatBuffer().put(values, from, n);
                out.write(chunk.array(), 0, 4 * n);
            }
        }
    }

    /** The unpadded header JSON: metadata first, then each tensor with consecutive offsets. */
    private static byte[] header(List<Map.Entry<String, Tensor>> entries, Map<String, String> metadata) {
        Map<String, Json> members = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            Map<String, Json> meta = new LinkedHashMap<>();
            metadata.forEach((k, v) -> {
                if (k == null || v == null) throw new IllegalArgumentException("safetensors metadata cannot hold null: " + k + " = " + v);
                meta.put(k, Json.of(v));
            });
            members.put(METADATA_KEY, new Json.Obj(meta));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : entries) {
            String name = e.getKey();
            if (name == null) throw new IllegalArgumentException("safetensors tensor names cannot be null");
            if (name.equals(METADATA_KEY)) throw new IllegalArgumentException("\"" + METADATA_KEY + "\" is reserved for metadata and cannot name a tensor");
            if (e.getValue() == null) throw new IllegalArgumentException("tensor \"" + name + "\" is null");
            List<Json> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) shape.add(Json.of(d));
            long end = offset + 4L * e.getValue().numel();
            Map<String, Json> info = new LinkedHashMap<>();
            info.put("dtype", Json.of("F32"));
            info.put("shape", new Json.Arr(shape));
            info.put("data_offsets", new Json.Arr(List.of(Json.of(offset), Json.of(end))));
            members.put(name, new Json.Obj(info));
            offset = end;
        }
        return new Json.Obj(members).write().getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ reading

    /** Reads and checks the file at {@code path}. */
    public static SafetensorsFile read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return read(file, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read safetensors file " + path + ": " + e, e);
        }
    }

    /** Reads and checks a file held in memory; {@code source} names it in error messages. */
    public static SafetensorsFile read(byte[] bytes, String source) {
        return read(MemorySegment.ofArray(bytes), source);
    }

    /** Reads and checks a whole stream (not closed), e.g. a class-path resource; {@code source} names it in errors. */
    public static SafetensorsFile read(InputStream in, String source) {
        try {
            return read(in.readAllBytes(), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read safetensors data from " + source + ": " + e, e);
        }
    }

    /** One tensor's header entry, checked against itself but not yet against its neighbours. */
    private record Entry(String name, SafetensorsDtype dtype, int[] shape, long begin, long end) {
        String offsets() {
            return "data_offsets [" + begin + ", " + end + "]";
        }
    }

    private static SafetensorsFile read(MemorySegment file, String source) {
        long size = file.byteSize();
        if (size < 8) throw new ModelFileException(source, "is " + size + " bytes long, too short for the 8-byte header length; not a safetensors file");
        long n = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (Long.compareUnsigned(n, MAX_HEADER_BYTES) > 0) {
            throw new ModelFileException(source, "header length " + Long.toUnsignedString(n) + " is larger than the limit of "
                    + MAX_HEADER_BYTES + " bytes; not a safetensors file?");
        }
        if (n > size - 8) {
            throw new ModelFileException(source, "header length " + n + " is larger than the " + (size - 8)
                    + " bytes after the length field; is the file truncated?");
        }
        long dataSize = size - 8 - n;
        byte[] headerBytes = file.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        Json header;
        try {
            String text = JsonParser.decodeUtf8(headerBytes);
            try {
                header = JsonParser.parse(text);
            } catch (JsonException e) {
                throw new ModelFileException(source, "header is not valid JSON: " + e.getMessage(), e);
            }
        } catch (JsonException e) {
            throw new ModelFileException(source, "header is not valid UTF-8: " + e.getMessage(), e);
        }
        if (!(header instanceof Json.Obj obj)) throw new ModelFileException(source, "header must be a JSON object but is " + article(header));
        if (headerBytes[0] != '{') throw new ModelFileException(source, "header must begin with '{' but begins with whitespace");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Json> m : obj.members().entrySet()) {
            if (m.getKey().equals(METADATA_KEY)) {
                metadata = metadata(m.getValue(), source);
            } else {
                entries.add(entry(m.getKey(), m.getValue(), dataSize, source));
            }
        }
        checkLayout(entries, dataSize, source);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            float[] values;
            try {
                values = e.dtype.decode(file, 8 + n + e.begin, Shape.numel(e.shape));
            } catch (IllegalArgumentException bad) {
                throw new ModelFileException(source, "tensor \"" + e.name + "\": " + bad.getMessage(), bad);
            }
            tensors.put(e.name, Tensor.fromArray(values, e.shape));
        }
        return new SafetensorsFile(tensors, metadata);
    }

    private static Map<String, String> metadata(Json value, String source) {
        if (!(value instanceof Json.Obj obj)) {
            throw new ModelFileException(source, METADATA_KEY + " must be an object of strings but is " + article(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        obj.members().forEach((k, v) -> {
            if (!(v instanceof Json.Str s)) {
                throw new ModelFileException(source, METADATA_KEY + " value of \"" + k + "\" must be a string but is " + article(v));
            }
            metadata.put(k, s.value());
        });
        return metadata;
    }

    private static Entry entry(String name, Json value, long dataSize, String source) {
        String what = "tensor \"" + name + "\": ";
        if (!(value instanceof Json.Obj obj)) throw new ModelFileException(source, what + "entry must be an object but is " + article(value));
        for (String key : obj.members().keySet()) {
            if (!ENTRY_FIELDS.contains(key)) throw new ModelFileException(source, what + "unexpected field \"" + key + "\" (expected dtype, shape, data_offsets)");
        }
        for (String key : ENTRY_FIELDS) {
            if (obj.get(key) == null) throw new ModelFileException(source, what + "missing \"" + key + "\"");
        }
        if (!(obj.get("dtype") instanceof Json.Str dtypeName)) {
            throw new ModelFileException(source, what + "dtype must be a string but is " + article(obj.get("dtype")));
        }
        SafetensorsDtype dtype = SafetensorsDtype.named(dtypeName.value());
        if (dtype == null) {
            throw new ModelFileException(source, what + "unsupported dtype \"" + dtypeName.value() + "\"; nn4j reads "
                    + Arrays.toString(SafetensorsDtype.values()));
        }
        long[] dims = integers(obj.get("shape"), -1, what + "shape", source);
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) throw new ModelFileException(source, what + "shape " + Arrays.toString(dims) + " has a negative dimension");
            if (dims[i] > Integer.MAX_VALUE) throw new ModelFileException(source, what + "shape " + Arrays.toString(dims) + " has a dimension above 2^31-1");
            shape[i] = (int) dims[i];
            // Saturate at 2^40 so that numel·dtype.size cannot overflow; a later 0 still gives 0.
            numel = dims[i] != 0 && numel > (1L << 40) / dims[i] ? 1L << 40 : numel * dims[i];
        }
        if (numel > Integer.MAX_VALUE) throw new ModelFileException(source, what + "shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        long[] offsets = integers(obj.get("data_offsets"), 2, what + "data_offsets", source);
        Entry e = new Entry(name, dtype, shape, offsets[0], offsets[1]);
        if (offsets[0] < 0 || offsets[1] < 0) throw new ModelFileException(source, what + e.offsets() + " are negative");
        if (e.begin > e.end) throw new ModelFileException(source, what + e.offsets() + " begin after they end");
        if (e.end > dataSize) {
            throw new ModelFileException(source, what + e.offsets() + " reach past the end of the data section ("
                    + dataSize + " bytes); is the file truncated?");
        }
        long expected = numel * dtype.size;
        if (e.end - e.begin != expected) {
            throw new ModelFileException(source, what + e.offsets() + " span " + (e.end - e.begin) + " bytes but shape "
                    + Shape.str(shape) + " of " + dtype + " needs " + expected);
        }
        return e;
    }

    /** A JSON array of integers (of {@code length} items unless it is -1), or an error naming {@code what}. */
    private static long[] integers(Json value, int length, String what, String source) {
        String expected = length < 0 ? "an array of integers" : "an array of " + length + " integers";
        if (!(value instanceof Json.Arr arr) || (length >= 0 && arr.items().size() != length)) {
            throw new ModelFileException(source, what + " must be " + expected + " but is " + (value instanceof Json.Arr ? value.write() : article(value)));
        }
        long[] out = new long[arr.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(arr.items().get(i) instanceof Json.Num num) || !num.isInteger()) {
                throw new ModelFileException(source, what + " must be " + expected + " but is " + value.write());
            }
            try {
                out[i] = num.longValue();
            } catch (ArithmeticException tooBig) {
                throw new ModelFileException(source, what + " " + value.write() + " holds a number beyond 2^63-1");
            }
        }
        return out;
    }

    /** The tensors, sorted by position, must tile the data section exactly: from byte 0 to its last byte. */
    private static void checkLayout(List<Entry> entries, long dataSize, String source) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin > expected) {
                throw new ModelFileException(source, "gap of " + (e.begin - expected) + " bytes before tensor \"" + e.name + "\" ("
                        + e.offsets() + "); tensors must be packed from byte 0 without gaps");
            }
            if (e.begin < expected) {
                throw new ModelFileException(source, "tensor \"" + e.name + "\" (" + e.offsets() + ") overlaps tensor \""
                        + previous.name + "\" (" + previous.offsets() + ")");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataSize) {
            throw new ModelFileException(source, "data section has " + dataSize + " bytes but the tensors end at byte " + expected
                    + ": " + (dataSize - expected) + " trailing bytes");
        }
    }

    private static String article(Json value) {
        return switch (value) {
            case Json.Arr a -> "an array";
            case Json.Obj o -> "an object";
            default -> "a " + value.typeName();
        };
    }
}
