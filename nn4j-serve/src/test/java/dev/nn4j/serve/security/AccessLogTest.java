package dev.nn4j.serve.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** One logfmt line per request, with the key id but never the key, and a truncated client address. */
class AccessLogTest {
    private static final Instant T = Instant.parse("2025-06-01T12:00:00.123456Z");

    @Test
    void lineHoldsEveryFieldWithTheClientTruncated() throws Exception {
        String line = AccessLog.format(new AccessLog.Entry(T, InetAddress.getByName("203.0.113.77"), "alice", "POST",
                "/v2/models/mlp/versions/2/infer", "mlp", "2", 200, Duration.ofNanos(1_234_567), 3190, 412));
        assertEquals("time=2025-06-01T12:00:00.123Z client=203.0.113.0/24 key=alice method=POST "
                + "path=/v2/models/mlp/versions/2/infer model=mlp version=2 status=200 latency_ms=1.235 req_bytes=3190 resp_bytes=412", line);
    }

    @Test
    void missingValuesAreDashes() {
        String line = AccessLog.format(new AccessLog.Entry(T, null, null, "GET", "/v2", null, null, 401,
                Duration.ofMillis(2), 0, 27));
        assertEquals("time=2025-06-01T12:00:00.123Z client=- key=- method=GET path=/v2 model=- version=- status=401 "
                + "latency_ms=2.000 req_bytes=0 resp_bytes=27", line);
    }

    @Test
    void craftedPathsCannotForgeLinesAndLongPathsAreCut() {
        String line = AccessLog.format(new AccessLog.Entry(T, null, null, "GET",
                "/v2/models/x\nstatus=200 key=\"admin\"", null, null, 404, Duration.ZERO, 0, 0));
        assertFalse(line.contains("\n"));
        assertTrue(line.contains("path=\"/v2/models/x\\u000astatus=200 key=\\\"admin\\\"\""), line);

        String longPath = "/v2/models/" + "a".repeat(1000);
        String cut = AccessLog.format(new AccessLog.Entry(T, null, null, "GET", longPath, null, null, 404, Duration.ZERO, 0, 0));
        assertTrue(cut.contains("path=" + longPath.substring(0, AccessLog.MAX_PATH) + "... "), cut);
        assertFalse(cut.contains(longPath));
    }

    @Test
    void theSecretKeyNeverAppearsEvenWhenAClientPutsItInTheQuery(@TempDir Path dir) throws Exception {
        String key = KeyFile.generate(dir.resolve("keys.txt"), "ci-bot", Set.of("mlp"));
        ApiKeyStore store = ApiKeyStore.load(dir.resolve("keys.txt"));
        AuthResult.Granted g = (AuthResult.Granted) store.check("Bearer " + key, "mlp");

        List<String> lines = new ArrayList<>();
        AccessLog log = new AccessLog(lines::add);
        log.log(new AccessLog.Entry(Instant.now(), InetAddress.getByName("2001:db8:1:2::99"), g.keyId(), "POST",
                "/v2/models/mlp/infer?api_key=" + key, "mlp", "1", 200, Duration.ofMillis(3), 100, 200));
        assertEquals(1, lines.size());
        String line = lines.getFirst();
        assertTrue(line.contains(" key=ci-bot "), line);
        assertTrue(line.contains(" client=2001:db8:1::/48 "), line);
        assertFalse(line.contains(key.substring(KeyFile.KEY_PREFIX.length())), "the key leaked: " + line);
        assertFalse(line.contains("api_key"), line);
        assertFalse(line.contains(":99"), "the host part of the address is dropped: " + line);
    }
}
