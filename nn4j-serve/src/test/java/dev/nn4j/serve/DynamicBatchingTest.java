package dev.nn4j.serve;

import dev.nn4j.serve.batch.Batcher;
import dev.nn4j.serve.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrent requests are coalesced into batches, and every request gets exactly the answer it gets alone. */
class DynamicBatchingTest {
    @TempDir
    Path dir;

    @Test
    void concurrentRequestsAreBatchedAndAnswerAsAloneToFloatRounding() throws Exception {
        Path file = TestModels.saveMlp(dir.resolve("mlp.safetensors"), 3);
        ConcurrentLinkedQueue<int[]> batches = new ConcurrentLinkedQueue<>();
        RequestObserver observer = new RequestObserver() {
            @Override
            public void batch(String model, String version, int rows, int requests, long computeNanos) {
                batches.add(new int[]{rows, requests});
            }
        };
        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0)
                .withBatching(16, 20).withObserver(observer), List.of(ModelSource.parse("mlp=" + file)))) {
            String infer = server.url() + "/v2/models/mlp/infer";
            int n = 48;
            // alone: one request at a time, each a batch of its own
            List<float[]> alone = new ArrayList<>();
            for (int i = 0; i < n; i++) alone.add(Http.output(Http.postJson(infer, Http.inferBody(null, TestModels.example(i))).json(), "logits"));
            assertTrue(batches.stream().allMatch(b -> b[1] == 1));
            batches.clear();
            // together: all at once, mixing requests of one and of two examples
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<float[]>> together = new ArrayList<>();
                for (int i = 0; i < n; i += 2) {
                    int k = i;
                    together.add(pool.submit(() -> Http.output(Http.postJson(infer, Http.inferBody("a" + k, TestModels.example(k))).json(), "logits")));
                    together.add(pool.submit(() -> Http.output(Http.postJson(infer, Http.inferBody("b" + k, TestModels.example(k + 1))).json(), "logits")));
                }
                // the same up to float rounding: this model's first layer (64 inputs) takes the row-dot tiles for
                // fewer than 6 rows (4 without 512-bit vectors) and the packed GEMM for more, which sum in different orders
                for (int i = 0; i < n; i++) {
                    float[] batched = together.get(i).get(20, TimeUnit.SECONDS);
                    for (int j = 0; j < batched.length; j++) {
                        assertEquals(alone.get(i)[j], batched[j], 1e-6f * Math.max(1f, Math.abs(alone.get(i)[j])), "request " + i + " logit " + j);
                    }
                }
            }
            assertEquals(n, batches.stream().mapToInt(b -> b[0]).sum());
            assertTrue(batches.stream().anyMatch(b -> b[1] > 1), "some batch should serve several requests");
            assertTrue(batches.stream().allMatch(b -> b[0] <= 16));
            // and alone equals the model computed directly, up to the GEMM's summation order
            for (int i = 0; i < n; i++) {
                float[] direct = TestModels.directLogits(file, TestModels.example(i));
                for (int j = 0; j < 3; j++) assertEquals(direct[j], alone.get(i)[j], 1e-5f);
            }
        }
    }

    @Test
    void batcherSplitsResultsBackRunsOnlyTheQueuedRowsAndRefusesWhenFullOrClosed() throws Exception {
        List<Integer> rowsSeen = new ArrayList<>();
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        // forward doubles each of the 2 values of a row and records how many rows it was given; the first call
        // waits for the test, so the queue can be filled deterministically while the worker is busy
        Batcher.Forward forward = (x, rows) -> {
            synchronized (rowsSeen) {
                rowsSeen.add(rows);
            }
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float[] y = new float[rows * 2];  // x is the batcher's buffer: only its first rows are this pass's
            for (int i = 0; i < y.length; i++) y[i] = 2 * x[i];
            return y;
        };
        Batcher b = new Batcher("t", 2, 4, TimeUnit.MILLISECONDS.toNanos(200), 6, forward, (r, q, n) -> {});
        CompletableFuture<Batcher.Result> full = b.submit(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 4); // a full batch: taken at once
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the worker took the first batch");
        CompletableFuture<Batcher.Result> one = b.submit(new float[]{1, 2}, 1);
        CompletableFuture<Batcher.Result> three = b.submit(new float[]{3, 4, 5, 6, 7, 8}, 3);
        assertThrows(Batcher.QueueFullException.class, () -> b.submit(new float[]{0, 0, 0, 0, 0, 0}, 3)); // 4 queued + 3 > 6
        release.countDown();
        assertArrayEquals(new float[]{2, 4, 6, 8, 10, 12, 14, 16}, full.get(5, TimeUnit.SECONDS).outputs());
        assertArrayEquals(new float[]{2, 4}, one.get(5, TimeUnit.SECONDS).outputs());
        assertArrayEquals(new float[]{6, 8, 10, 12, 14, 16}, three.get(5, TimeUnit.SECONDS).outputs());
        assertEquals(4, one.get().batchRows());
        // a request larger than the batch runs in chunks of at most maxBatch rows, none padded
        float[] six = new float[12];
        for (int i = 0; i < 12; i++) six[i] = i;
        float[] out = b.submit(six, 6).get(5, TimeUnit.SECONDS).outputs();
        assertEquals(12, out.length);
        assertEquals(22f, out[11]);
        synchronized (rowsSeen) {
            assertEquals(List.of(4, 4, 4, 2), rowsSeen);
        }
        b.close();
        assertThrows(Batcher.ClosedException.class, () -> b.submit(new float[]{1, 1}, 1));
        assertTrue(b.awaitDrained(5000));
    }
}
