package dev.nn4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.serve.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replacing a model file swaps the model atomically under load: every request is answered by the old or the new
 * model, never fails; a broken file is refused and the old model keeps serving.
 */
class HotReloadTest {
    static final float[] OLD = {5, 0, 0}, NEW = {0, 0, 5};

    @TempDir
    Path dir;

    @Test
    void loadCallSwapsUnderLoadWithoutAFailedRequestAndRefusesABrokenFile() throws Exception {
        Path file = TestModels.saveConstant(dir.resolve("m.safetensors"), OLD);
        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0).withBatching(8, 1),
                List.of(ModelSource.parse("m=" + file)))) {
            String infer = server.url() + "/v2/models/m/infer", load = server.url() + "/v2/repository/models/m/load";
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<float[]> answers = new ConcurrentLinkedQueue<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    clients.add(pool.submit(() -> {
                        while (!stop.get()) {
                            Http.Reply r = Http.postJson(infer, Http.inferBody(null, TestModels.example(1)));
                            if (r.status() != 200) problems.add(r.status() + " " + r.body());
                            else answers.add(Http.output(r.json(), "logits"));
                        }
                    }));
                }
                awaitMore(answers, 20);
                TestModels.saveConstant(file, NEW); // atomic write of a new model
                Http.Reply loaded = Http.post(load, null, new byte[0]);
                assertEquals(200, loaded.status(), loaded.body());
                assertEquals("[\"1\"]", loaded.json().get("versions").toString());
                awaitMore(answers, 20);
                // a broken file: refused, the new model keeps serving
                Files.write(file, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
                Http.Reply broken = Http.post(load, null, new byte[0]);
                assertEquals(400, broken.status());
                assertTrue(broken.error().contains("keeps serving"), broken.error());
                Thread.sleep(100);
                stop.set(true);
                for (Future<?> f : clients) f.get(10, TimeUnit.SECONDS);
            }
            assertTrue(problems.isEmpty(), problems.toString());
            assertTrue(answers.stream().allMatch(a -> Arrays.equals(a, OLD) || Arrays.equals(a, NEW)));
            long olds = answers.stream().filter(a -> Arrays.equals(a, OLD)).count(), news = answers.stream().filter(a -> Arrays.equals(a, NEW)).count();
            assertTrue(olds > 0 && news > 0, olds + " answers from the old model, " + news + " from the new");
            JsonNode after = Http.postJson(infer, Http.inferBody(null, TestModels.example(2))).json();
            assertArrayEquals(NEW, Http.output(after, "logits"));
            assertEquals(404, Http.post(server.url() + "/v2/repository/models/nope/load", null, new byte[0]).status());
        }
    }

    @Test
    void fileWatcherPicksUpAChangedFileAndANewVersion() throws Exception {
        Path versions = Files.createDirectories(dir.resolve("versions"));
        Path v1 = TestModels.saveConstant(versions.resolve("1.safetensors"), OLD);
        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(30),
                List.of(new ModelSource("m", versions)))) {
            String infer = server.url() + "/v2/models/m/infer";
            TestModels.saveConstant(v1, NEW);
            assertArrayEquals(NEW, await(infer, NEW));
            TestModels.saveConstant(versions.resolve("2.safetensors"), 0, 5, 0);
            float[] latest = await(infer, new float[]{0, 5, 0});
            assertArrayEquals(new float[]{0, 5, 0}, latest);
            assertEquals("[\"1\",\"2\"]", Http.get(server.url() + "/v2/models/m").json().get("versions").toString());
            // a broken version 3 never serves; 2 stays the latest
            Files.write(versions.resolve("3.safetensors"), new byte[]{9, 9, 9});
            Thread.sleep(150);
            assertEquals("2", Http.postJson(infer, Http.inferBody(null, TestModels.example(0))).json().get("model_version").asText());
        }
    }

    /** Waits until the clients have collected {@code more} further answers (at most 10 s). */
    private static void awaitMore(ConcurrentLinkedQueue<float[]> answers, int more) throws InterruptedException {
        int target = answers.size() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answers.size() < target && System.nanoTime() < deadline) Thread.sleep(10);
    }

    /** Polls until the default version answers {@code expected} (at most 5 s). */
    private static float[] await(String infer, float[] expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        float[] got;
        do {
            got = Http.output(Http.postJson(infer, Http.inferBody(null, TestModels.example(0))).json(), "logits");
            if (Arrays.equals(got, expected)) return got;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return got;
    }
}
