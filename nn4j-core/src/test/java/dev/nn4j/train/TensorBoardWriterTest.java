package dev.nn4j.train;

import dev.nn4j.train.EventFileReader.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorBoardWriterTest {
    /** (tag, value, step) as in tools/tensorboard/make_reference.py, which wrote reference.tfevents. */
    private static final List<Object[]> REFERENCE_SCALARS = List.of(
            new Object[]{"train/loss", 2.302585f, 0L},
            new Object[]{"train/loss", 0.4375f, 1L},
            new Object[]{"val/accuracy", 0.9125f, 1L},
            new Object[]{"val/λ", Float.NaN, 2L},
            new Object[]{"lr", 1e-3f, 1L << 40},
            new Object[]{"neg", -1.5f, -1L});
    private static final Instant REFERENCE_TIME = Instant.ofEpochSecond(1_700_000_000L, 250_000_000L);

    @TempDir
    Path dir;

    @Test
    void crc32cMatchesTheStandardCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        CRC32C jdk = new CRC32C();
        jdk.update(check);
        assertEquals(0xE3069283L, jdk.getValue());
        assertEquals(0xE3069283, EventFileReader.crc32c(check, 0, check.length));
        // mask(c) = rotr(c, 15) + 0xa282ead8; rotr(0xE3069283, 15) = 0x2507C60D
        assertEquals(0x2507C60D + 0xa282ead8, TfRecord.maskedCrc32c(check, 0, check.length));
    }

    @Test
    void writesTheSameBytesAsTensorBoardsOwnWriter() throws IOException {
        Path file;
        try (TensorBoardWriter tb = new TensorBoardWriter(dir, Clock.fixed(REFERENCE_TIME, ZoneOffset.UTC), "host")) {
            for (Object[] s : REFERENCE_SCALARS) tb.addScalar((String) s[0], (Float) s[1], (Long) s[2]);
            file = tb.file();
        }
        byte[] expected;
        try (InputStream in = TensorBoardWriterTest.class.getResourceAsStream("/tensorboard/reference.tfevents")) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void eventFileIsNamedAfterTimeAndHostAndReadsBackItsScalars() throws IOException {
        double before = System.currentTimeMillis() / 1000.0;
        Path file;
        try (TensorBoardWriter tb = new TensorBoardWriter(dir.resolve("run/a"))) {
            tb.addScalar("train/loss", 0.75f, 1);
            tb.addScalar("val/accuracy", 0.5f, 1);
            tb.addScalar("train/loss", 0.25f, 2);
            file = tb.file();
        }
        double after = System.currentTimeMillis() / 1000.0;
        assertEquals(dir.resolve("run/a"), file.getParent());
        String name = file.getFileName().toString();
        assertTrue(name.matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"), name);
        long fileSeconds = Long.parseLong(name.split("\\.")[3]);
        assertTrue(fileSeconds >= (long) before && fileSeconds <= (long) after, name);

        List<Event> events = EventFileReader.read(file);
        assertEquals(4, events.size());
        assertEquals("brain.Event:2", events.getFirst().fileVersion());
        assertNull(events.getFirst().tag());
        for (Event e : events) assertTrue(e.wallTime() >= before - 0.001 && e.wallTime() <= after + 0.001, e.toString());
        assertEquals(new Scalar("train/loss", 0.75f, 1), Scalar.of(events.get(1)));
        assertEquals(new Scalar("val/accuracy", 0.5f, 1), Scalar.of(events.get(2)));
        assertEquals(new Scalar("train/loss", 0.25f, 2), Scalar.of(events.get(3)));
    }

    @Test
    void flushedRecordsAreReadableWhileTheWriterIsStillOpen() throws IOException {
        try (TensorBoardWriter tb = new TensorBoardWriter(dir)) {
            assertEquals(1, EventFileReader.read(tb.file()).size(), "header record is on disk at once");
            for (int epoch = 1; epoch <= 3; epoch++) {
                tb.addScalar("train/loss", 1f / epoch, epoch);
                tb.flush();
                // what a crash right now would leave: every record so far, whole
                List<Event> events = EventFileReader.read(tb.file());
                assertEquals(1 + epoch, events.size());
                assertEquals(new Scalar("train/loss", 1f / epoch, epoch), Scalar.of(events.getLast()));
            }
        }
    }

    @Test
    void closeIsIdempotentAndLaterScalarsAreRejected() throws IOException {
        TensorBoardWriter tb = new TensorBoardWriter(dir);
        tb.addScalar("loss", 1f, 1);
        tb.close();
        tb.close();
        tb.flush();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tb.addScalar("loss", 2f, 2));
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains(tb.file().toString()), e.getMessage());
        assertEquals(2, EventFileReader.read(tb.file()).size());
    }

    @Test
    void twoWritersStartedInTheSameSecondGetTheirOwnFiles() {
        Clock clock = Clock.fixed(REFERENCE_TIME, ZoneOffset.UTC);
        try (TensorBoardWriter a = new TensorBoardWriter(dir, clock, "my host/1");
             TensorBoardWriter b = new TensorBoardWriter(dir, clock, "my host/1")) {
            assertEquals("events.out.tfevents.1700000000.my_host_1", a.file().getFileName().toString());
            assertEquals("events.out.tfevents.1700000000.my_host_1.1", b.file().getFileName().toString());
            assertNotEquals(a.file(), b.file());
        }
    }

    @Test
    void emptyTagIsRejectedWithItsValueAndStep() {
        try (TensorBoardWriter tb = new TensorBoardWriter(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tb.addScalar("", 0.5f, 3));
            assertTrue(e.getMessage().contains("tag") && e.getMessage().contains("step 3"), e.getMessage());
        }
    }

    /** A scalar event without its wall time, for comparisons. */
    private record Scalar(String tag, float value, long step) {
        static Scalar of(Event e) {
            return new Scalar(e.tag(), e.value(), e.step());
        }
    }
}
