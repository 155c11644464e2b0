package dev.nn4j.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SameStart's checks of the directory same_start.py writes; they run before any data loads or training starts. */
class SameStartTest {

    @Test
    void aMissingDirectoryNamesTheFileAndTheScriptThatWritesIt(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> SameStart.main(new String[] {"--dir", dir.toString()}));
        assertEquals(dir.resolve("normalize.f64") + ": missing (run bench/reference/same_start.py --dir " + dir + ")", e.getMessage());
    }

    @Test
    void aTruncatedWeightFileNamesTheFileAndBothSizes(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("normalize.f64"), ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.3).putDouble(0.35).array());
        Files.write(dir.resolve("0.weight.f32"), new byte[4 * 256 * 784 - 4]);
        IOException e = assertThrows(IOException.class, () -> SameStart.main(new String[] {"--dir", dir.toString()}));
        assertEquals(dir.resolve("0.weight.f32") + ": expected 802816 bytes but found 802812", e.getMessage());
    }

    @Test
    void anUnknownArgumentIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SameStart.main(new String[] {"--epochs", "3"}));
        assertEquals("SameStart: unknown argument '--epochs'; expected --dir DIR, --threads N", e.getMessage());
    }
}
