package dev.nn4j.serve;

import dev.nn4j.serve.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link InferenceServer#close()} stops accepting, lets requests in flight finish, then returns. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void requestsInFlightFinishAndNewConnectionsAreRefused() throws Exception {
        Path file = TestModels.saveConstant(dir.resolve("m.safetensors"), 1, 2, 3);
        // batches wait 2 s for company (max batch 64), so the six requests are still queued when close() starts
        InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0).withBatching(64, 2_000),
                List.of(ModelSource.parse("m=" + file)));
        String url = server.url();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http.Reply>> inFlight = new ArrayList<>();
            for (int i = 0; i < 6; i++) inFlight.add(pool.submit(() -> Http.postJson(url + "/v2/models/m/infer", Http.inferBody(null, TestModels.example(0)))));
            // wait until all six are queued in the batcher (not a fixed sleep: on a busy machine they arrive late)
            var batcher = server.models().resolve("m", null).batcher();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (batcher.queuedRows() < 6 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(6, batcher.queuedRows(), "requests queued before close()");
            long start = System.nanoTime();
            server.close();
            long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (Future<Http.Reply> f : inFlight) {
                Http.Reply r = f.get(5, TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.body());
            }
            assertTrue(closeMs >= 100, "close() returned after " + closeMs + " ms, before the queued batch ran");
        }
        assertThrows(UncheckedIOException.class, () -> Http.get(url + "/v2/health/live"));
    }
}
