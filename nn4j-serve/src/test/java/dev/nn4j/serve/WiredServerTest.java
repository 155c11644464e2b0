package dev.nn4j.serve;

import dev.nn4j.serve.metrics.MonitoringObserver;
import dev.nn4j.serve.metrics.PrometheusEndpoint;
import dev.nn4j.serve.metrics.ServeMetrics;
import dev.nn4j.serve.model.ModelSource;
import dev.nn4j.serve.security.AccessLog;
import dev.nn4j.serve.security.ApiKeyStore;
import dev.nn4j.serve.security.KeyAuthenticator;
import dev.nn4j.serve.security.KeyFile;
import dev.nn4j.serve.security.PayloadLog;
import dev.nn4j.serve.security.RateLimiter;
import dev.nn4j.serve.security.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server wired to the real security and monitoring parts, over real HTTP on loopback: API keys from a key file
 * ({@link KeyAuthenticator}: 401, 403 outside scopes, 429 with {@code Retry-After}), metrics
 * ({@link MonitoringObserver} + {@link PrometheusEndpoint}), the access and payload logs that never hold a key or a
 * payload value, and HTTPS from a keytool certificate.
 */
class WiredServerTest {
    @TempDir
    Path dir;

    /** A value no model output or log field would contain by chance: it marks the payload in the logs. */
    static final float MARK = 0.7654321f;

    private static float[] marked() {
        float[] x = TestModels.example(3);
        x[5] = MARK;
        return x;
    }

    @Test
    void keysScopesRateLimitMetricsAndLogsWithoutSecrets() throws Exception {
        Path a = TestModels.saveMlp(dir.resolve("a.safetensors"), 1);
        Path b = TestModels.saveConstant(dir.resolve("b.safetensors"), 1, 2, 3);
        Path keyFile = dir.resolve("keys.txt");
        String all = KeyFile.generate(keyFile, "ops", Set.of());
        String onlyA = KeyFile.generate(keyFile, "team-a", Set.of("a"));
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        ServeMetrics metrics = new ServeMetrics();
        RequestObserver observer = new MonitoringObserver(metrics, new AccessLog(lines::add), new PayloadLog(lines::add));
        // 'team-a' may send 3 requests at once, then 0.5 per second: its fourth request in a row is refused for 2 s
        KeyAuthenticator auth = new KeyAuthenticator(ApiKeyStore.load(keyFile), new RateLimiter(0.5, 3));
        ServerConfig config = ServerConfig.defaults().withPort(0).withReloadPollMs(0).withBatching(8, 20)
                .withAuthenticator(auth).withObserver(observer).withMetrics(new PrometheusEndpoint(metrics, null), -1);
        String body = Http.inferBody("req-17", marked());
        try (InferenceServer server = InferenceServer.start(config, List.of(ModelSource.parse("a=" + a), ModelSource.parse("b=" + b)))) {
            String url = server.url();
            Http.Reply none = Http.postJson(url + "/v2/models/a/infer", body);
            assertEquals(401, none.status());
            assertEquals("Bearer", none.header("WWW-Authenticate"));
            assertTrue(none.error().contains("missing API key"), none.error());
            Http.Reply wrong = withKey(url + "/v2/models/a/infer", all + "x", body);
            assertEquals(401, wrong.status());
            assertEquals("invalid API key", wrong.error());
            assertEquals(401, Http.get(url + "/v2").status());
            assertEquals(401, Http.get(url + "/v2/models/a").status());
            assertEquals(200, Http.get(url + "/v2/health/live").status());
            assertEquals(200, Http.get(url + "/v2/health/ready").status());
            assertEquals(401, Http.get(url + "/metrics").status());

            Http.Reply forbidden = withKey(url + "/v2/models/b/infer", onlyA, body);
            assertEquals(403, forbidden.status());
            assertEquals("API key 'team-a' may not use model 'b'", forbidden.error());
            Http.Reply ok = withKey(url + "/v2/models/a/infer", onlyA, body);
            assertEquals(200, ok.status(), ok.body());
            assertEquals("req-17", ok.json().get("id").asText());
            assertEquals(200, withKey(url + "/v2/models/a", onlyA, null).status());
            assertEquals(200, withKey(url + "/v2/models/a/infer", onlyA, body).status()); // the burst of 3 is used up
            Http.Reply limited = withKey(url + "/v2/models/a/infer", onlyA, body);
            assertEquals(429, limited.status(), limited.body());
            assertEquals("2", limited.header("Retry-After"));
            assertTrue(limited.error().contains("'team-a'"), limited.error());

            // 'ops' has a bucket of its own: 3 requests at once, coalesced by the batcher where they meet
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Http.Reply>> replies = List.of(
                        pool.submit(() -> withKey(url + "/v2/models/a/infer", all, body)),
                        pool.submit(() -> withKey(url + "/v2/models/b/infer", all, Http.inferBody(null, TestModels.example(1)))),
                        pool.submit(() -> withKey(url + "/v2/models/a/infer", all, body)));
                for (Future<Http.Reply> f : replies) assertEquals(200, f.get(20, TimeUnit.SECONDS).status());
            }
            Http.Reply scrape = withKey(url + "/metrics", "", null);
            assertEquals(401, scrape.status());
            Thread.sleep(2100); // one token back for 'ops'
            scrape = withKey(url + "/metrics", all, null);
            assertEquals(200, scrape.status(), scrape.body());
            String text = scrape.body();
            assertEquals(4.0, sample(text, "nn4j_requests_total{model=\"a\",status=\"200\",version=\"1\"}"), text);
            assertEquals(1.0, sample(text, "nn4j_requests_total{model=\"b\",status=\"200\",version=\"1\"}"), text);
            assertEquals(1.0, sample(text, "nn4j_requests_total{model=\"b\",status=\"403\",version=\"\"}"), text);
            assertEquals(3.0, sample(text, "nn4j_requests_total{model=\"a\",status=\"401\",version=\"\"}"), text);
            assertEquals(1.0, sample(text, "nn4j_requests_total{model=\"a\",status=\"200\",version=\"\"}"), text); // metadata
            assertEquals(1.0, sample(text, "nn4j_requests_total{model=\"a\",status=\"429\",version=\"\"}"), text);
            assertEquals(4.0, sample(text, "nn4j_request_duration_seconds_count{model=\"a\",version=\"1\"}"), text);
            assertEquals(4.0, sample(text, "nn4j_request_duration_seconds_bucket{model=\"a\",version=\"1\",le=\"+Inf\"}"), text);
            assertEquals(4.0, sample(text, "nn4j_queue_wait_seconds_count{model=\"a\",version=\"1\"}"), text);
            double batches = sample(text, "nn4j_batch_size_count{model=\"a\",version=\"1\"}");
            // the batch-size histogram sums the requests per forward pass: all 4 inferences of model a, in 2 to 4 passes
            assertEquals(4.0, sample(text, "nn4j_batch_size_sum{model=\"a\",version=\"1\"}"), text);
            assertTrue(batches >= 2 && batches <= 4, text);
            assertEquals(batches, sample(text, "nn4j_compute_seconds_count{model=\"a\",version=\"1\"}"), text);
            assertEquals(1.0, sample(text, "nn4j_model_ready{model=\"a\",version=\"1\"}"), text);
            assertEquals(1.0, sample(text, "nn4j_model_loads_total{model=\"a\"}"), text);
            assertEquals(1.0, sample(text, "nn4j_requests_in_flight"), text); // the scrape itself
            assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics");
        }
        String log = String.join("\n", lines);
        assertFalse(log.contains(all) || log.contains(onlyA) || log.contains(all.substring(KeyFile.KEY_PREFIX.length(), 20)), "a key in the logs");
        assertFalse(log.contains(Float.toString(MARK)) || log.contains("7654321"), "a payload value in the logs:\n" + log);
        assertTrue(log.contains("key=team-a method=POST path=\"/v2/models/{name}/infer\" model=a version=1 status=200"), log);
        assertTrue(log.contains("client=127.0.0.0/24"), log);
        assertTrue(log.contains("\"data\":\"*** (64 values)\""), log); // the payload log masks the tensors
        assertTrue(lines.stream().filter(l -> l.startsWith("time=")).allMatch(l -> !l.contains("payload")));
    }

    @Test
    void servesHttpsWithACertificateFromKeytool() throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-J-XX:TieredStopAtLevel=1",
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + out);
        Path model = TestModels.saveMlp(dir.resolve("m.safetensors"), 2);
        SSLContext serverTls = TlsContexts.load(p12, null, "changeit".toCharArray());
        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0).withTls(serverTls),
                List.of(ModelSource.parse("m=" + model)))) {
            assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(p12)).version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/v2/models/m/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Http.inferBody("t", TestModels.example(0))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            float[] logits = Http.output(Http.JSON.readTree(r.body()), "logits");
            float[] direct = TestModels.directLogits(model, TestModels.example(0));
            for (int i = 0; i < direct.length; i++) assertEquals(direct[i], logits[i], 1e-5f);
            // plain HTTP on the TLS port is not served
            HttpClient plainClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> plain = null;
            try {
                plain = plainClient.send(HttpRequest.newBuilder(URI.create(server.url().replace("https", "http") + "/v2")).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException expected) {
                // the TLS listener closed the connection
            }
            assertTrue(plain == null || plain.statusCode() == 400, "plain HTTP answered " + (plain == null ? "" : plain.statusCode()));
        }
    }

    /** A client TLS context trusting only the certificate in {@code p12}. */
    private static SSLContext trusting(Path p12) throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            server.load(in, "changeit".toCharArray());
        }
        Certificate cert = server.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The value of the sample {@code series} (name and labels exactly as written) in a text scrape. */
    static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        if (!m.find()) throw new AssertionError("no sample " + series + " in the scrape");
        return Double.parseDouble(m.group(1));
    }

    private static Http.Reply withKey(String url, String key, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key);
        if (json != null) b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return Http.send(b);
    }
}
