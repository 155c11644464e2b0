package dev.nn4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST-family datasets (plain or gzip, detected from the content): a magic
 * number {@code 0x00 0x00 <type> <rank>}, {@code rank} big-endian sizes, then the values. Only unsigned bytes
 * (type 0x08), the type of every MNIST-family file, are read. Every problem names the file and what was
 * expected and found.
 */
public final class Idx {
    /** The sizes and raw unsigned byte values of an IDX file. */
    public record Array(int[] dims, byte[] values) {
        public int count() {
            return dims.length == 0 ? 1 : dims[0];
        }

        /** The values as floats, each unsigned byte divided by {@code divisor} (255 maps pixels to [0, 1], as torchvision's {@code ToTensor}). */
        public float[] toFloats(float divisor) {
            float[] out = new float[values.length];
            for (int i = 0; i < out.length; i++) out[i] = (values[i] & 0xff) / divisor;
            return out;
        }
    }

    private Idx() {}

    public static Array read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads from a stream; {@code source} names it in errors. The stream is not closed. */
    public static Array read(InputStream raw, String source) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read(), b1 = buffered.read();
            buffered.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            DataInputStream data = new DataInputStream(in);
            byte[] magic = new byte[4];
            readFully(data, magic, source, "the 4-byte magic number");
            if (magic[0] != 0 || magic[1] != 0) {
                throw new IllegalArgumentException(source + ": not an IDX file (magic number starts with 0x"
                        + hex(magic[0]) + hex(magic[1]) + ", expected 0x0000)");
            }
            if (magic[2] != 0x08) {
                throw new IllegalArgumentException(source + ": IDX data type 0x" + hex(magic[2]) + " is not supported; expected 0x08 (unsigned byte)");
            }
            int rank = magic[3] & 0xff;
            if (rank < 1 || rank > 8) throw new IllegalArgumentException(source + ": IDX rank " + rank + " is invalid (expected 1 to 8)");
            int[] dims = new int[rank];
            long total = 1;
            byte[] size = new byte[4];
            for (int i = 0; i < rank; i++) {
                readFully(data, size, source, "size " + i + " of " + rank);
                dims[i] = ((size[0] & 0xff) << 24) | ((size[1] & 0xff) << 16) | ((size[2] & 0xff) << 8) | (size[3] & 0xff);
                if (dims[i] < 0) throw new IllegalArgumentException(source + ": dimension " + i + " has a negative size " + dims[i]);
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(source + ": " + total + " values for dims " + Arrays.toString(dims) + " is too large");
            byte[] values = new byte[(int) total];
            int got = data.readNBytes(values, 0, values.length);
            if (got < values.length) {
                throw new IllegalArgumentException(source + ": truncated: dims " + Arrays.toString(dims) + " need " + total
                        + " bytes of data but only " + got + " were found");
            }
            if (data.read() != -1) {
                throw new IllegalArgumentException(source + ": corrupt: more data than dims " + Arrays.toString(dims) + " describe (" + total + " bytes)");
            }
            return new Array(dims, values);
        } catch (EOFException e) {
            throw new IllegalArgumentException(source + ": truncated compressed data (" + e.getMessage() + ")", e);
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(DataInputStream in, byte[] buf, String source, String what) throws IOException {
        int got = in.readNBytes(buf, 0, buf.length);
        if (got < buf.length) throw new IllegalArgumentException(source + ": truncated: the file ends inside " + what + " of the header");
    }

    private static String hex(byte b) {
        return String.format("%02x", b & 0xff);
    }
}
