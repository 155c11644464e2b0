package dev.nn4j.serve.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks {@code Authorization: Bearer <key>} headers against the hashes of a {@link KeyFile}, in constant time.
 * Thread-safe: the loaded keys are an immutable snapshot swapped atomically by {@link #reloadIfChanged()}.
 *
 * <p>The presented key is hashed with SHA-256 and compared with <em>every</em> stored hash by
 * {@link MessageDigest#isEqual} (no early exit), so the time taken does not depend on which key matched or on how
 * many leading bytes of a guess were right. Results and messages never contain the presented key.
 *
 * {@snippet :
 * ApiKeyStore keys = ApiKeyStore.load(Path.of("keys.txt"));
 * switch (keys.check(request.header("Authorization"), modelName)) {
 *     case AuthResult.Granted g -> serve(g.keyId());
 *     case AuthResult.Unauthorized u -> reply(401, u.reason());
 *     case AuthResult.Forbidden f -> reply(403, f.reason());
 * }
 * }
 */
public final class ApiKeyStore {
    private record Snapshot(List<KeyFile.Entry> entries, byte[] fileHash) {}

    private final Path file;
    private volatile Snapshot snapshot;

    private ApiKeyStore(Path file, Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
    }

    /** Loads {@code file}; a malformed file is an {@link IllegalArgumentException} naming the line. */
    public static ApiKeyStore load(Path file) {
        byte[] bytes = readBytes(file);
        return new ApiKeyStore(file, parse(bytes, file));
    }

    /** A store over fixed entries, with no file behind it (for tests and embedding). */
    public static ApiKeyStore of(List<KeyFile.Entry> entries) {
        return new ApiKeyStore(null, new Snapshot(List.copyOf(entries), new byte[0]));
    }

    /** How many keys are loaded. */
    public int size() {
        return snapshot.entries().size();
    }

    /**
     * Checks the value of an {@code Authorization} header ({@code Bearer <key>}, scheme case-insensitive) without
     * looking at scopes: for endpoints that are not about one model (e.g. {@code GET /v2}).
     *
     * @return {@link AuthResult.Granted} or {@link AuthResult.Unauthorized}
     */
    public AuthResult authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new AuthResult.Unauthorized("missing API key: send 'Authorization: Bearer <key>'");
        }
        String h = authorizationHeader.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new AuthResult.Unauthorized("malformed Authorization header: expected 'Bearer <key>'");
        }
        byte[] presented = KeyFile.sha256(h.substring(7).strip());
        KeyFile.Entry match = null;
        for (KeyFile.Entry e : snapshot.entries()) {
            // compare against every entry, no early exit: timing reveals neither which key matched nor a prefix
            if (MessageDigest.isEqual(presented, e.sha256()) & match == null) {
                match = e;
            }
        }
        return match == null ? new AuthResult.Unauthorized("invalid API key") : new AuthResult.Granted(match.id(), match.models());
    }

    /**
     * Checks the header and then the key's scopes for {@code model}.
     *
     * @return Granted, Unauthorized (401) or Forbidden (403)
     */
    public AuthResult check(String authorizationHeader, String model) {
        AuthResult r = authenticate(authorizationHeader);
        if (r instanceof AuthResult.Granted g && model != null && !g.allows(model)) {
            return new AuthResult.Forbidden(g.keyId(), model);
        }
        return r;
    }

    /**
     * Re-reads the key file and swaps in its keys when its content changed. On a malformed or unreadable file the
     * old keys keep working and the exception is thrown to the caller to report.
     *
     * @return whether new keys were loaded
     */
    public boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        byte[] bytes = readBytes(file);
        if (MessageDigest.isEqual(KeyFile.sha256(bytes), snapshot.fileHash())) {
            return false;
        }
        snapshot = parse(bytes, file);
        return true;
    }

    /**
     * Calls {@link #reloadIfChanged()} every {@code period} on a daemon thread until the returned handle is closed;
     * failures go to {@code onError} (the old keys stay in force).
     */
    public AutoCloseable watch(Duration period, Consumer<RuntimeException> onError) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nn4j-keyfile-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                reloadIfChanged();
            } catch (RuntimeException e) {
                onError.accept(e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    private static Snapshot parse(byte[] bytes, Path file) {
        List<KeyFile.Entry> entries = KeyFile.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        return new Snapshot(entries, KeyFile.sha256(bytes));
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API key file " + file + ": " + e.getMessage(), e);
        }
    }
}
