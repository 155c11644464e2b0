package dev.nn4j.train;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * Writes scalars (loss, accuracy, learning rate, …) to a TensorBoard event file that {@code tensorboard --logdir}
 * reads, as PyTorch's {@code SummaryWriter.add_scalar} does; written from scratch, without TensorFlow or a
 * protobuf library.
 * <p><b>File.</b> {@code <logDir>/events.out.tfevents.<unix seconds>.<hostname>} (with {@code .1}, {@code .2}, …
 * appended if that name is taken). It is a sequence of TFRecords (see {@link TfRecord}: length, masked CRC32C of
 * the length, data, masked CRC32C of the data), each holding one serialized {@code tensorboard.Event}:
 * <pre>
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 *   Summary { repeated Value value = 1; }
 *   Value   { string tag = 1; float simple_value = 2; }
 * </pre>
 * The first record is {@code Event{wall_time, file_version: "brain.Event:2"}}; each {@link #addScalar} appends
 * {@code Event{wall_time, step, summary{value{tag, simple_value}}}}. Fields are written in ascending order and a
 * zero step is omitted, as proto3 serializers do, so the bytes equal TensorBoard's own writer's.
 * <p><b>Durability.</b> Records are buffered; {@link #flush()} hands them to the operating system (call it after
 * each epoch) and {@link #close()} flushes and closes (a second close does nothing). Every record is written
 * whole, so a process that dies leaves a file whose records up to the last flush are intact; TensorBoard reads
 * that prefix. Methods are synchronized, so callbacks on several threads may share one writer.
 * {@snippet :
 * try (TensorBoardWriter tb = new TensorBoardWriter(Path.of("runs/exp1"))) {
 *     for (int epoch = 1; epoch <= epochs; epoch++) {
 *         // … train one epoch …
 *         tb.addScalar("train/loss", trainLoss, epoch);
 *         tb.addScalar("val/accuracy", valAccuracy, epoch);
 *         tb.flush();
 *     }
 * }
 * }
 * Reference: TensorBoard's {@code tensorboard/compat/proto/event.proto} and {@code summary.proto};
 * https://pytorch.org/docs/stable/tensorboard.html
 */
public final class TensorBoardWriter implements AutoCloseable {
    /** The version string TensorBoard expects in the first record of an event file. */
    static final String FILE_VERSION = "brain.Event:2";

    private final Path file;
    private final Clock clock;
    private final OutputStream out;
    private boolean closed;

    /** Creates {@code logDir} (and its parents) if needed and starts a new event file in it. */
    public TensorBoardWriter(Path logDir) {
        this(logDir, Clock.systemUTC(), hostName());
    }

    /** As {@link #TensorBoardWriter(Path)} with a given clock (wall times and file name) and host name. */
    TensorBoardWriter(Path logDir, Clock clock, String host) {
        this.clock = clock;
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot create log directory " + logDir + ": " + e, e);
        }
        Instant now = clock.instant();
        String base = "events.out.tfevents." + now.getEpochSecond() + "." + host.replaceAll("[^A-Za-z0-9._-]", "_");
        Path candidate = logDir.resolve(base);
        OutputStream opened = null;
        for (int n = 1; opened == null; n++) {
            try {
                opened = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                candidate = logDir.resolve(base + "." + n);
            } catch (IOException e) {
                throw new UncheckedIOException("TensorBoardWriter: cannot create event file " + candidate + ": " + e, e);
            }
        }
        this.file = candidate;
        this.out = new BufferedOutputStream(opened, 1 << 16);
        write(new ProtoWriter().float64(1, seconds(now)).string(3, FILE_VERSION));
        flush();
    }

    /** The event file this writer appends to. */
    public Path file() {
        return file;
    }

    /**
     * Appends one scalar: {@code tag} (e.g. {@code "train/loss"}; TensorBoard groups charts by the part before the
     * first '/') has {@code value} at {@code step} (e.g. the epoch). NaN and infinities are written as they are.
     */
    public synchronized void addScalar(String tag, float value, long step) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("TensorBoardWriter.addScalar: tag must be a non-empty string but was "
                    + (tag == null ? "null" : "\"\"") + " (value " + value + ", step " + step + ")");
        }
        if (closed) {
            throw new IllegalStateException("TensorBoardWriter.addScalar(\"" + tag + "\", " + value + ", " + step
                    + "): the writer of " + file + " is closed");
        }
        ProtoWriter summaryValue = new ProtoWriter().string(1, tag).float32(2, value);
        ProtoWriter event = new ProtoWriter().float64(1, seconds(clock.instant()));
        if (step != 0) event.int64(2, step);   // proto3 omits a default (zero) scalar
        write(event.message(5, new ProtoWriter().message(1, summaryValue)));
    }

    /** Hands every record written so far to the operating system, so TensorBoard (or a crash) sees them. */
    public synchronized void flush() {
        if (closed) return;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot flush " + file + ": " + e, e);
        }
    }

    /** Flushes and closes the file; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot close " + file + ": " + e, e);
        }
    }

    private void write(ProtoWriter event) {
        try {
            out.write(TfRecord.frame(event.toByteArray()));   // one call per record: never half a record buffered
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoardWriter: cannot write to " + file + ": " + e, e);
        }
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
