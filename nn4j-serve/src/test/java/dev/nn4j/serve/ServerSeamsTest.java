package dev.nn4j.serve;

import dev.nn4j.serve.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plug-in points and the overload paths: the {@link Authenticator}'s refusals reach the client with their
 * status and headers, health stays open, the {@link RequestObserver} sees every request without payload, metrics
 * are served on the main port behind the authenticator or openly on their own port, and a full queue or a timeout
 * is a 503 with {@code Retry-After}.
 */
class ServerSeamsTest {
    @TempDir
    Path dir;

    /** Key "good" may use model "m"; key "other" no model; key "busy" is over its rate. */
    static final Authenticator KEYS = (authorization, model) -> {
        if (authorization == null || !authorization.startsWith("Bearer ")) return new Authenticator.Denied(401, "missing API key", 0);
        return switch (authorization.substring(7)) {
            case "good" -> new Authenticator.Allowed("key-1");
            case "other" -> model == null ? new Authenticator.Allowed("key-2") : new Authenticator.Denied(403, "key-2 may not use model " + model, 0);
            case "busy" -> new Authenticator.Denied(429, "rate limit exceeded", 3);
            default -> new Authenticator.Denied(401, "unknown API key", 0);
        };
    };

    @Test
    void authenticatorDecisionsObserverRecordsAndMetricsOnTheMainPort() throws Exception {
        Path file = TestModels.saveConstant(dir.resolve("m.safetensors"), 1, 2, 3);
        ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
        RequestObserver observer = new RequestObserver() {
            @Override
            public void finished(RequestRecord r) {
                records.add(r);
            }
        };
        MetricsEndpoint metrics = out -> out.write("nn4j_up 1\n".getBytes(StandardCharsets.UTF_8));
        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0)
                .withAuthenticator(KEYS).withObserver(observer).withMetrics(metrics, -1), List.of(ModelSource.parse("m=" + file)))) {
            String infer = server.url() + "/v2/models/m/infer";
            String body = Http.inferBody("secret-id", TestModels.example(0));
            Http.Reply none = Http.postJson(infer, body);
            assertEquals(401, none.status());
            assertEquals("Bearer", none.header("WWW-Authenticate"));
            assertEquals(401, withKey(infer, "wrong", body).status());
            Http.Reply scoped = withKey(infer, "other", body);
            assertEquals(403, scoped.status());
            assertEquals("key-2 may not use model m", scoped.error());
            Http.Reply limited = withKey(infer, "busy", body);
            assertEquals(429, limited.status());
            assertEquals("3", limited.header("Retry-After"));
            assertEquals(200, withKey(infer, "good", body).status());
            assertEquals(200, withKey(server.url() + "/v2", "other", null).status());
            assertEquals(200, Http.get(server.url() + "/v2/health/live").status());
            assertEquals(200, Http.get(server.url() + "/v2/health/ready").status());
            assertEquals(401, Http.get(server.url() + "/metrics").status());
            Http.Reply scrape = withKey(server.url() + "/metrics", "good", null);
            assertEquals(200, scrape.status());
            assertEquals("nn4j_up 1\n", scrape.body());
            assertEquals(-1, server.metricsPort());
        }
        RequestRecord ok = records.stream().filter(r -> r.status() == 200 && r.endpoint().endsWith("/infer")).findFirst().orElseThrow();
        assertEquals("key-1", ok.keyId());
        assertEquals("m", ok.model());
        assertEquals("1", ok.version());
        assertEquals("/v2/models/{name}/infer", ok.endpoint());
        assertTrue(ok.requestBytes() > 100 && ok.responseBytes() > 50 && ok.latencyNanos() > 0 && ok.computeNanos() > 0);
        assertEquals("127.0.0.1", ok.clientAddress());
        assertNull(ok.error());
        RequestRecord refused = records.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertNull(refused.keyId());
        assertEquals("rate limit exceeded", refused.error());
        assertTrue(records.stream().noneMatch(r -> r.toString().contains("secret-id") || r.toString().contains("good")));
    }

    @Test
    void metricsOnTheirOwnPortAreOpenAndServeNothingElse() {
        Path file = TestModels.saveConstant(dir.resolve("m.safetensors"), 1, 2, 3);
        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0)
                .withAuthenticator(KEYS).withMetrics(out -> out.write('7'), 0), List.of(ModelSource.parse("m=" + file)))) {
            String metricsUrl = "http://127.0.0.1:" + server.metricsPort();
            assertTrue(server.metricsPort() > 0 && server.metricsPort() != server.port());
            assertEquals("7", Http.get(metricsUrl + "/metrics").body());
            assertEquals(404, Http.get(metricsUrl + "/v2").status());
        }
    }

    @Test
    void fullQueueAndTimeoutAre503WithRetryAfter() throws Exception {
        Path file = TestModels.saveConstant(dir.resolve("m.safetensors"), 1, 2, 3);
        // batches of 2 wait 600 ms for company; 1 queued example fills the queue; requests give up after 300 ms
        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0).withBatching(2, 600)
                .withLimits(1, 1 << 20, 1, 8, 300), List.of(ModelSource.parse("m=" + file)))) {
            String infer = server.url() + "/v2/models/m/infer";
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Http.Reply> first = pool.submit(() -> Http.postJson(infer, Http.inferBody(null, TestModels.example(0))));
                Thread.sleep(100);
                Http.Reply full = Http.postJson(infer, Http.inferBody(null, TestModels.example(1)));
                assertEquals(503, full.status());
                assertEquals("1", full.header("Retry-After"));
                assertTrue(full.error().contains("overloaded"), full.error());
                Http.Reply timedOut = first.get(5, TimeUnit.SECONDS);
                assertEquals(503, timedOut.status());
                assertTrue(timedOut.error().contains("request timeout of 300 ms"), timedOut.error());
                assertEquals("1", timedOut.header("Retry-After"));
            }
            assertFalse(server.models().names().isEmpty());
        }
    }

    private static Http.Reply withKey(String url, String key, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key);
        if (json != null) b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return Http.send(b);
    }
}
