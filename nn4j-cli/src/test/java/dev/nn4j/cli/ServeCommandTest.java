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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nn4j serve}: refuses an open address without keys, serves, and on SIGTERM drains and exits 0. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void refusesANonLoopbackHostWithoutInsecure() {
        CliRun run = CliRun.of("serve", "--model", "m=" + dir.resolve("none.safetensors"), "--host", "0.0.0.0");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("refusing to serve on 0.0.0.0 without API keys"), run.err());
        CliRun bad = CliRun.of("serve", "--model", "nameless");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--model expects NAME=PATH"), bad.err());
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
}
