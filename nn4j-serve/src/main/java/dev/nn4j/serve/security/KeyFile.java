package dev.nn4j.serve.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API key file: new keys, their SHA-256 hashes, and the text format that stores only the hashes. The key itself
 * is returned once by {@link #generate} (for {@code nn4j keygen} to print) and never written anywhere.
 *
 * <p><b>Format</b> (UTF-8 text, one key per line; blank lines and lines starting with {@code #} are ignored):
 * <pre>
 * # nn4j API keys: SHA-256 hashes only (written by nn4j keygen)
 * id=alice sha256=3f0c…64 lowercase hex digits… models=* created=2025-06-01T12:00:00Z
 * id=ci-bot sha256=9a1b… models=mlp,cnn created=2025-06-02T08:30:00Z
 * </pre>
 * Fields are {@code name=value} tokens separated by spaces, in any order:
 * <ul>
 *   <li>{@code id} (required): the key id, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, unique in the file. It is what
 *       logs and metrics show instead of the key.</li>
 *   <li>{@code sha256} (required): the 64 lowercase hex digits of SHA-256 over the key's UTF-8 bytes.</li>
 *   <li>{@code models} (optional, default {@code *}): {@code *} for every model, or comma-separated model names the
 *       key may use (its scopes).</li>
 *   <li>{@code created} (optional): an ISO-8601 instant, informational only.</li>
 * </ul>
 * Unknown fields, duplicate ids and duplicate hashes are errors naming the line, so a typo ({@code model=}) cannot
 * silently widen a key's scope. A key can be revoked by deleting its line.
 *
 * <p><b>Keys</b> are {@code nn4j_} followed by 43 URL-safe base64 characters (32 bytes from {@link SecureRandom}),
 * so they can be pasted into a shell or an HTTP header unquoted and found by secret scanners by their prefix.
 */
public final class KeyFile {
    /** The prefix of every generated key. */
    public static final String KEY_PREFIX = "nn4j_";
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final String HEADER = "# nn4j API keys: SHA-256 hashes only, one key per line (written by nn4j keygen)\n"
            + "# id=<key id> sha256=<hex of SHA-256(key)> models=<* or a,b> created=<instant>\n";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One line of the key file.
     *
     * @param id     the key id shown in logs
     * @param sha256 the 32-byte SHA-256 hash of the key
     * @param models the model names the key may use; empty means every model
     */
    public record Entry(String id, byte[] sha256, Set<String> models) {
        public Entry {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("API key id '" + id + "' must match " + ID.pattern());
            }
            if (sha256 == null || sha256.length != 32) {
                throw new IllegalArgumentException("API key '" + id + "': sha256 must be 32 bytes");
            }
            sha256 = sha256.clone();
            for (String m : models) {
                if (!MODEL.matcher(m).matches()) {
                    throw new IllegalArgumentException("API key '" + id + "': model scope '" + m + "' must match " + MODEL.pattern());
                }
            }
            models = Set.copyOf(models);
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }

        /** Whether this key may use {@code model} (always true for a key without scopes). */
        public boolean allows(String model) {
            return models.isEmpty() || models.contains(model);
        }

        /** This entry as one line of the file format, without the newline. */
        public String toLine(Instant created) {
            String scopes = models.isEmpty() ? "*" : String.join(",", models.stream().sorted().toList());
            return "id=" + id + " sha256=" + HexFormat.of().formatHex(sha256) + " models=" + scopes
                    + (created == null ? "" : " created=" + created.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    private KeyFile() {}

    /** A new random key: {@code nn4j_} + 43 URL-safe base64 characters encoding 32 bytes of {@code random}. */
    public static String newKey(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 over the UTF-8 bytes of {@code key}. */
    public static byte[] sha256(String key) {
        return sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Generates a key, appends its hash to {@code file} (created with owner-only permissions where the file system
     * supports them) and returns the key, which is not stored anywhere: print it once.
     *
     * @param id     the key id, or null for a random {@code key-xxxxxxxx}
     * @param models the model scopes; empty for every model
     * @throws IllegalArgumentException if the id is invalid or already in the file, or the file is malformed
     */
    public static String generate(Path file, String id, Set<String> models) {
        String key = newKey(RANDOM);
        if (id == null) {
            id = "key-" + HexFormat.of().formatHex(randomBytes(4));
        }
        append(file, new Entry(id, sha256(key), models), Instant.now());
        return key;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * Appends {@code entry} to {@code file} under an exclusive file lock, after checking that its id and hash are not
     * already there; writes the header comment first when the file is new.
     */
    public static void append(Path file, Entry entry, Instant created) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean isNew = !Files.exists(file);
            if (isNew && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException raced) {
                    // another keygen created it first: append to it under the lock below
                }
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // an exclusive lock, so that two keygen runs cannot interleave their check and append
                FileLock lock = ch.lock();
                ByteBuffer existing = ByteBuffer.allocate(Math.toIntExact(ch.size()));
                while (existing.hasRemaining() && ch.read(existing, existing.position()) > 0) { /* read all */ }
                String text = new String(existing.array(), StandardCharsets.UTF_8);
                List<Entry> entries = parse(text, file.toString());
                for (Entry e : entries) {
                    if (e.id().equals(entry.id())) {
                        throw new IllegalArgumentException("API key id '" + entry.id() + "' is already in " + file + "; choose another --name");
                    }
                }
                String prefix = text.isEmpty() ? HEADER : text.endsWith("\n") ? "" : "\n";
                ch.write(ByteBuffer.wrap((prefix + entry.toLine(created) + "\n").getBytes(StandardCharsets.UTF_8)), ch.size());
                ch.force(true);
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append an API key to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and parses {@code file}; an error names the file and line. */
    public static List<Entry> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the file format; {@code source} names the file in error messages. */
    public static List<Entry> parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String id = null, hash = null, models = "*";
            for (String token : line.split("\\s+")) {
                int eq = token.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(where + ": expected name=value fields, got '" + abbreviate(token) + "'");
                }
                String name = token.substring(0, eq), value = token.substring(eq + 1);
                switch (name) {
                    case "id" -> id = value;
                    case "sha256" -> hash = value;
                    case "models" -> models = value;
                    case "created" -> { /* informational */ }
                    default -> throw new IllegalArgumentException(where + ": unknown field '" + name
                            + "' (known: id, sha256, models, created)");
                }
            }
            if (id == null || hash == null) {
                throw new IllegalArgumentException(where + ": needs both id= and sha256=");
            }
            if (!HEX64.matcher(hash).matches()) {
                throw new IllegalArgumentException(where + ": sha256 must be 64 lowercase hex digits (the hash, never the key itself)");
            }
            Set<String> scopes = new LinkedHashSet<>();
            if (!models.equals("*")) {
                for (String m : models.split(",")) {
                    if (!m.isEmpty()) {
                        scopes.add(m);
                    }
                }
                if (scopes.isEmpty()) {
                    throw new IllegalArgumentException(where + ": models= must be * or a comma-separated list of model names");
                }
            }
            Entry entry;
            try {
                entry = new Entry(id, HexFormat.of().parseHex(hash), scopes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException(where + ": duplicate key id '" + id + "'");
            }
            if (!hashes.add(hash)) {
                throw new IllegalArgumentException(where + ": key '" + id + "' has the same hash as an earlier line");
            }
            entries.add(entry);
        }
        return List.copyOf(entries);
    }

    private static String abbreviate(String token) {
        // a misplaced key pasted into the file must not be echoed in full into an error message or log
        return token.length() <= 12 ? token : token.substring(0, 6) + "…";
    }
}
