package dev.nn4j.data.sets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Test helper: writes tiny MNIST-style IDX files (images whose every pixel is {@code fill}, given labels). */
final class TinyIdx {
    private TinyIdx() {}

    /** IDX bytes of {@code n} images of {@code h × w} pixels all equal to {@code fill}. */
    static byte[] images(int n, int h, int w, int fill) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * h * w).putInt(0x803).putInt(n).putInt(h).putInt(w);
        while (b.hasRemaining()) b.put((byte) fill);
        return b.array();
    }

    static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(0x801).putInt(labels.length);
        for (int l : labels) b.put((byte) l);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes a complete four-file dataset into {@code dir}: 3 training and 2 test images of 2×2 pixels equal to
     * {@code fill}, training labels 1, 2, 0 and test labels 2, 1; gzip-compressed with {@code .gz} names or plain.
     */
    static Path writeSet(Path dir, int fill, boolean gz) {
        write(dir, MnistFamily.TRAIN_IMAGES, images(3, 2, 2, fill), gz);
        write(dir, MnistFamily.TRAIN_LABELS, labels(1, 2, 0), gz);
        write(dir, MnistFamily.TEST_IMAGES, images(2, 2, 2, fill), gz);
        write(dir, MnistFamily.TEST_LABELS, labels(2, 1), gz);
        return dir;
    }

    static Path write(Path dir, String base, byte[] raw, boolean gz) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(gz ? base + ".gz" : base);
            Files.write(p, gz ? gzip(raw) : raw);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
