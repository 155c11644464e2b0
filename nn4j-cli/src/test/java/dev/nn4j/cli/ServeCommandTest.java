package dev.nn4j.cli;

import dev.nn4j.io.ModelFile;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Sequential;
import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nn4j serve}: refuses an open address without keys, serves, and on SIGTERM drains and exits 0. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void refusesANonLoopbackHostWithoutInsecureOrKeys() {
        CliRun run = CliRun.of("serve", "--model", "m=" + dir.resolve("none.safetensors"), "--host", "0.0.0.0");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("refusing to serve on 0.0.0.0 without API keys"), run.err());
        CliRun bad = CliRun.of("serve", "--model", "nameless");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--model expects NAME=PATH"), bad.err());
        CliRun threads = CliRun.of("serve", "--model", "m=" + dir.resolve("none.safetensors"), "--threads", "0");
        assertEquals(1, threads.code());
        assertEquals("nn4j serve: --threads must be at least 1 but was 0", threads.err().lines().findFirst().orElse(""));
    }

    @Test
    void sigtermLetsRequestsInFlightFinishAndExitsZero() throws Exception {
        Path model = dir.resolve("m.safetensors");
        ModelFile.save(model, new Sequential(new Linear(4, 3, true, new Generator(0))), Map.of("input_shape", "[4]", "classes", "a,b,c"));
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "dev.nn4j.cli.Main", "serve", "--model", "m=" + model, "--port", "0", "--max-batch", "8", "--max-wait-ms", "1000")
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("nn4j serve: listening on http://127.0.0.1:"),
                    first + " / stderr: " + Files.readString(dir.resolve("stderr.txt")));
            String url = first.substring(first.indexOf("http://"));
            HttpClient client = HttpClient.newHttpClient();
            String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
            // one request first, so that the server is warm and the ones below reach it well within their batch window
            HttpResponse<String> warm = client.send(HttpRequest.newBuilder(URI.create(url + "/v2/models/m/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, warm.statusCode(), warm.body());
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url + "/v2/models/m/infer"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(400); // the requests now wait in the 1000 ms batch window
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its stdout)
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"model_name\":\"m\""), r.body());
            }
            String rest = out.lines().reduce("", (a, b) -> a + b + "\n"); // up to the end of output, when the process exits
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
            assertEquals(0, p.exitValue());
            assertTrue(rest.contains("nn4j serve: stopped"), rest);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void keysMetricsPortAccessLogAndMaskedPayloadsOverRealHttp() throws Exception {
        Path model = dir.resolve("m.safetensors");
        ModelFile.save(model, new Sequential(new Linear(4, 3, true, new Generator(0))), Map.of("input_shape", "[4]", "classes", "a,b,c"));
        Path model2 = dir.resolve("n.safetensors");
        ModelFile.save(model2, new Sequential(new Linear(4, 3, true, new Generator(1))), Map.of("input_shape", "[4]", "classes", "a,b,c"));
        Path keys = dir.resolve("keys.txt"), log = dir.resolve("access.log");
        CliRun gen = CliRun.of("keygen", "--keys", keys.toString(), "--name", "ops", "--models", "m");
        assertEquals(0, gen.code(), gen.err());
        String key = gen.out().strip();
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "dev.nn4j.cli.Main", "serve", "--model", "m=" + model, "--model", "n=" + model2, "--port", "0", "--keys", keys.toString(),
                "--metrics-port", "0", "--rate-limit", "1/s", "--burst", "3", "--access-log", log.toString(), "--debug-payloads")
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        StringBuilder stdout = new StringBuilder();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null, metrics = null;
            for (String line; metrics == null && (line = out.readLine()) != null; ) {
                stdout.append(line).append('\n');
                if (line.startsWith("nn4j serve: listening on ")) url = line.substring(line.indexOf("http://"));
                if (line.startsWith("  metrics: ")) metrics = line.substring(line.indexOf("http://"), line.indexOf(" (open)"));
            }
            assertTrue(url != null && metrics != null, stdout + " / stderr: " + Files.readString(dir.resolve("stderr.txt")));
            assertTrue(stdout.toString().contains("API keys: 1; rate limit 1/s burst 3"), stdout.toString());
            // serve's request threads need the cores: kernel threads park at once unless nn4j.spinMicros says otherwise
            assertTrue(stdout.toString().contains("  kernels: 1 thread; waiting kernel threads park at once"), stdout.toString());
            HttpClient client = HttpClient.newHttpClient();
            String body = "{\"id\":\"q1\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[0.1234567,2,3,4]}]}";
            assertEquals(401, post(client, url + "/v2/models/m/infer", null, body).statusCode());
            assertEquals(403, post(client, url + "/v2/models/n/infer", key, body).statusCode());
            HttpResponse<String> ok = post(client, url + "/v2/models/m/infer", key, body);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(url + "/v2/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, client.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            int status429 = 0;
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = post(client, url + "/v2/models/m/infer", key, body);
                if (r.statusCode() == 429) {
                    status429++;
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                }
            }
            assertTrue(status429 > 0, "a burst of 3 at 1/s cannot let 7 requests in a row through");
            HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(URI.create(metrics)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.body().contains("nn4j_requests_total{model=\"m\",status=\"200\",version=\"1\"}"), scrape.body());
            assertTrue(scrape.body().contains("nn4j_requests_total{model=\"n\",status=\"403\",version=\"\"} 1.0"), scrape.body());
            assertTrue(scrape.body().contains("nn4j_batch_size_bucket{model=\"m\",version=\"1\",le=\"1.0\"}"), scrape.body());
            assertTrue(scrape.body().contains("nn4j_queue_depth{model=\"m\"} 0.0"), scrape.body());
            p.toHandle().destroy();
            stdout.append(out.lines().reduce("", (a, b) -> a + b + "\n"));
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
        String accessLog = Files.readString(log), stderr = Files.readString(dir.resolve("stderr.txt"));
        for (String captured : List.of(stdout.toString(), accessLog, stderr)) {
            assertFalse(captured.contains(key) || captured.contains(key.substring(5, 15)), "the key leaked:\n" + captured);
            assertFalse(captured.contains("1234567"), "a payload value leaked:\n" + captured);
        }
        assertTrue(accessLog.contains("key=ops method=POST path=\"/v2/models/{name}/infer\" model=m version=1 status=200"), accessLog);
        assertTrue(accessLog.contains("key=- method=POST path=\"/v2/models/{name}/infer\" model=m version=- status=401"), accessLog);
        assertTrue(accessLog.contains("status=429"), accessLog);
        assertTrue(accessLog.contains("payload request") && accessLog.contains("\"data\":\"*** (4 values)\""), accessLog);
    }

    private static HttpResponse<String> post(HttpClient client, String url, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
