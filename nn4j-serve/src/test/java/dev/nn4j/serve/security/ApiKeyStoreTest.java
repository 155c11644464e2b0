package dev.nn4j.serve.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/** Bearer-key checks: 401 for missing, malformed and wrong keys, 403 outside scopes, reloading the file. */
class ApiKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void validKeyIsGrantedWithItsIdAndScopes() {
        Path file = dir.resolve("keys.txt");
        String key = KeyFile.generate(file, "alice", Set.of("mlp"));
        ApiKeyStore store = ApiKeyStore.load(file);
        AuthResult r = store.check("Bearer " + key, "mlp");
        assertEquals(new AuthResult.Granted("alice", Set.of("mlp")), r);
        assertEquals(200, r.httpStatus());
        assertInstanceOf(AuthResult.Granted.class, store.check("bearer   " + key + "  ", "mlp"), "scheme is case-insensitive");
    }

    @Test
    void missingMalformedAndWrongKeysAreUnauthorized() {
        Path file = dir.resolve("keys.txt");
        String key = KeyFile.generate(file, "alice", Set.of());
        ApiKeyStore store = ApiKeyStore.load(file);
        String wrong = KeyFile.newKey(new java.security.SecureRandom());
        for (String header : new String[]{null, "", "   ", "Basic " + key, "Bearer", "Bearer ", key, "Bearer " + wrong,
                "Bearer " + key + "x", "Bearer " + key.substring(1)}) {
            AuthResult r = store.check(header, "mlp");
            AuthResult.Unauthorized u = assertInstanceOf(AuthResult.Unauthorized.class, r, "header " + header);
            assertEquals(401, r.httpStatus());
            assertFalse(u.reason().contains(key.substring(5)) || u.reason().contains(wrong.substring(5)),
                    "a reason never repeats the presented key: " + u.reason());
        }
        assertEquals(new AuthResult.Unauthorized("invalid API key"), store.authenticate("Bearer " + wrong));
    }

    @Test
    void keyOutsideItsScopesIsForbidden() {
        Path file = dir.resolve("keys.txt");
        String scoped = KeyFile.generate(file, "ci", Set.of("mlp", "cnn"));
        String all = KeyFile.generate(file, "admin", Set.of());
        ApiKeyStore store = ApiKeyStore.load(file);
        assertInstanceOf(AuthResult.Granted.class, store.check("Bearer " + scoped, "cnn"));
        AuthResult r = store.check("Bearer " + scoped, "resnet");
        assertEquals(new AuthResult.Forbidden("ci", "resnet"), r);
        assertEquals(403, r.httpStatus());
        assertEquals("API key 'ci' may not use model 'resnet'", ((AuthResult.Forbidden) r).reason());
        assertInstanceOf(AuthResult.Granted.class, store.check("Bearer " + all, "resnet"));
        assertInstanceOf(AuthResult.Granted.class, store.check("Bearer " + scoped, null), "no model: no scope check");
    }

    @Test
    void reloadPicksUpNewAndRevokedKeysAndKeepsOldKeysOnABadFile() throws Exception {
        Path file = dir.resolve("keys.txt");
        String a = KeyFile.generate(file, "a", Set.of());
        ApiKeyStore store = ApiKeyStore.load(file);
        assertFalse(store.reloadIfChanged(), "unchanged file");

        String b = KeyFile.generate(file, "b", Set.of());
        assertInstanceOf(AuthResult.Unauthorized.class, store.check("Bearer " + b, "m"), "not yet reloaded");
        assertTrue(store.reloadIfChanged());
        assertInstanceOf(AuthResult.Granted.class, store.check("Bearer " + b, "m"));
        assertEquals(2, store.size());

        // revoke a: drop its line
        List<String> kept = Files.readAllLines(file).stream().filter(l -> !l.startsWith("id=a ")).toList();
        Files.write(file, kept);
        assertTrue(store.reloadIfChanged());
        assertInstanceOf(AuthResult.Unauthorized.class, store.check("Bearer " + a, "m"));

        // a broken edit is reported and the keys in force stay
        Files.writeString(file, "id=oops\n", StandardOpenOption.APPEND);
        assertThrows(IllegalArgumentException.class, store::reloadIfChanged);
        assertInstanceOf(AuthResult.Granted.class, store.check("Bearer " + b, "m"));
    }

    @Test
    void watchReloadsTheFileInTheBackground() throws Exception {
        Path file = dir.resolve("keys.txt");
        KeyFile.generate(file, "a", Set.of());
        ApiKeyStore store = ApiKeyStore.load(file);
        List<RuntimeException> errors = new CopyOnWriteArrayList<>();
        AutoCloseable watch = store.watch(Duration.ofMillis(20), errors::add);
        try {
            String b = KeyFile.generate(file, "b", Set.of());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(store.check("Bearer " + b, "m") instanceof AuthResult.Granted) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertInstanceOf(AuthResult.Granted.class, store.check("Bearer " + b, "m"));
        } finally {
            watch.close();
        }
        assertEquals(List.of(), errors);
    }
}
