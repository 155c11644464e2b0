package dev.nn4j.serve.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The key file format: keygen writes only hashes, parsing is strict and names the offending line. */
class KeyFileTest {
    @TempDir
    Path dir;

    @Test
    void generatedKeyIsUrlSafeAndOnlyItsHashIsWritten() throws Exception {
        Path file = dir.resolve("keys.txt");
        String key = KeyFile.generate(file, "alice", Set.of("mlp", "cnn"));
        assertTrue(key.matches("nn4j_[A-Za-z0-9_-]{43}"), key);
        String text = Files.readString(file);
        assertFalse(text.contains(key), "the key itself must never be written");
        assertFalse(text.contains(key.substring(KeyFile.KEY_PREFIX.length())), "no part of the key body is written");
        assertTrue(text.contains("sha256=" + HexFormat.of().formatHex(KeyFile.sha256(key))), text);
        assertTrue(text.startsWith("#"), "a new file starts with a comment that explains it");

        List<KeyFile.Entry> entries = KeyFile.read(file);
        assertEquals(1, entries.size());
        assertEquals("alice", entries.getFirst().id());
        assertEquals(Set.of("mlp", "cnn"), entries.getFirst().models());
        assertTrue(entries.getFirst().allows("cnn"));
        assertFalse(entries.getFirst().allows("resnet"));
    }

    @Test
    void keysAreFreshAndAppendedOnePerLine() throws Exception {
        Path file = dir.resolve("keys.txt");
        String a = KeyFile.generate(file, "a", Set.of());
        String b = KeyFile.generate(file, null, Set.of());
        assertNotEquals(a, b);
        List<KeyFile.Entry> entries = KeyFile.read(file);
        assertEquals(2, entries.size());
        assertEquals(Set.of(), entries.get(0).models(), "no scopes: every model");
        assertTrue(entries.get(1).id().matches("key-[0-9a-f]{8}"), entries.get(1).id());
        assertTrue(Files.readString(file).contains("models=*"));
    }

    @Test
    void newKeyFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("sub/keys.txt");
        KeyFile.generate(file, "a", Set.of());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        } else {
            assertTrue(Files.exists(file));
        }
    }

    @Test
    void appendRefusesADuplicateId() {
        Path file = dir.resolve("keys.txt");
        KeyFile.generate(file, "alice", Set.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFile.generate(file, "alice", Set.of()));
        assertTrue(e.getMessage().contains("'alice' is already in"), e.getMessage());
    }

    @Test
    void parseSkipsCommentsAndReadsScopes() {
        String hex = "ab".repeat(32);
        List<KeyFile.Entry> entries = KeyFile.parse("""
                # comment

                id=one sha256=%s models=*  created=2025-01-01T00:00:00Z
                   id=two    models=a,b sha256=%s
                """.formatted(hex, "cd".repeat(32)), "k");
        assertEquals(List.of("one", "two"), entries.stream().map(KeyFile.Entry::id).toList());
        assertEquals(Set.of(), entries.get(0).models());
        assertEquals(Set.of("a", "b"), entries.get(1).models());
    }

    @Test
    void parseErrorsNameTheLineAndTheProblem() {
        String hex = "ab".repeat(32);
        assertParseError("id=x sha256=" + hex + " model=mlp", "k line 1: unknown field 'model'");
        assertParseError("# c\nid=x", "k line 2: needs both id= and sha256=");
        assertParseError("id=x sha256=" + hex.toUpperCase(), "sha256 must be 64 lowercase hex digits");
        assertParseError("id=x sha256=abc", "sha256 must be 64 lowercase hex digits");
        assertParseError("id=x sha256=" + hex + "\nid=x sha256=" + "cd".repeat(32), "k line 2: duplicate key id 'x'");
        assertParseError("id=x sha256=" + hex + "\nid=y sha256=" + hex, "k line 2: key 'y' has the same hash");
        assertParseError("id=bad/id sha256=" + hex, "API key id 'bad/id' must match");
        assertParseError("id=x sha256=" + hex + " models=,", "models= must be * or a comma-separated list");
        assertParseError("id=x sha256=" + hex + " models=a/b", "model scope 'a/b' must match");
    }

    @Test
    void aKeyPastedIntoTheFileIsNotEchoedInTheError() {
        String key = KeyFile.newKey(new java.security.SecureRandom());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFile.parse(key, "k"));
        assertFalse(e.getMessage().contains(key.substring(6)), e.getMessage());
    }

    private static void assertParseError(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFile.parse(text, "k"));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
