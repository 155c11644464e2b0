package dev.nn4j.cli;

import dev.nn4j.serve.security.KeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nn4j keygen}: the key alone on stdout, only its hash (with id and scopes) appended to the file. */
class KeygenCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOnlyTheKeyAndAppendsOnlyItsHash() throws Exception {
        Path keys = dir.resolve("keys.txt");
        CliRun first = CliRun.of("keygen", "--keys", keys.toString(), "--name", "alice", "--models", "mnist,fashion");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().matches("nn4j_[A-Za-z0-9_-]{43}\\R"), "stdout must be the key alone on one line: [" + first.out() + "]");
        String key = first.out().strip();
        assertFalse(first.err().contains(key), first.err());
        assertTrue(first.err().contains("'alice'"), first.err());
        CliRun second = CliRun.of("keygen", "--keys", keys.toString());
        assertEquals(0, second.code(), second.err());
        String other = second.out().strip();

        String file = Files.readString(keys);
        assertFalse(file.contains(key) || file.contains(other), file);
        List<KeyFile.Entry> entries = KeyFile.read(keys);
        assertEquals(2, entries.size());
        assertEquals("alice", entries.get(0).id());
        assertEquals(Set.of("mnist", "fashion"), entries.get(0).models());
        assertTrue(MessageDigest.isEqual(KeyFile.sha256(key), entries.get(0).sha256()));
        assertTrue(entries.get(1).id().matches("key-[0-9a-f]{8}"), entries.get(1).id());
        assertTrue(entries.get(1).models().isEmpty());
        assertTrue(MessageDigest.isEqual(KeyFile.sha256(other), entries.get(1).sha256()));

        CliRun dup = CliRun.of("keygen", "--keys", keys.toString(), "--name", "alice");
        assertEquals(1, dup.code());
        assertTrue(dup.err().contains("API key id 'alice' is already in"), dup.err());
        assertEquals("", dup.out());
        assertEquals(2, KeyFile.read(keys).size());
    }
}
