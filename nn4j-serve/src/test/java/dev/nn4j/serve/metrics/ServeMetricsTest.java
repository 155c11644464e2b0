package dev.nn4j.serve.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Each recording method shows up in the rendered text exposition with the documented names, labels and buckets. */
class ServeMetricsTest {
    private final ServeMetrics metrics = new ServeMetrics(new PrometheusRegistry(), false);

    private Exposition scrape() {
        return Exposition.parse(metrics.scrapeText());
    }

    @Test
    void requestsAreCountedByModelVersionAndStatus() {
        metrics.modelLoaded("mlp", "1", Duration.ofMillis(5));
        metrics.modelLoaded("mlp", "2", Duration.ofMillis(5));
        metrics.requestFinished("mlp", "1", 200, Duration.ofMillis(1));
        metrics.requestFinished("mlp", "1", 200, Duration.ofMillis(1));
        metrics.requestFinished("mlp", "2", 400, Duration.ofMillis(1));
        metrics.requestFinished(null, null, 401, Duration.ofMillis(1));
        Exposition e = scrape();
        assertEquals("counter", e.types().get("nn4j_requests_total"));
        assertEquals(2, e.value("nn4j_requests_total", "model", "mlp", "version", "1", "status", "200"));
        assertEquals(1, e.value("nn4j_requests_total", "model", "mlp", "version", "2", "status", "400"));
        assertEquals(1, e.value("nn4j_requests_total", "model", "", "version", "", "status", "401"));
    }

    @Test
    void unannouncedModelsAndVersionsShareOneLabelValue() {
        metrics.modelLoaded("mlp", "1", Duration.ofMillis(5));
        for (int i = 0; i < 50; i++) {
            metrics.requestFinished("probe-" + i, "1", 404, Duration.ofMillis(1));
        }
        metrics.requestFinished("mlp", "99", 404, Duration.ofMillis(1));
        Exposition e = scrape();
        assertEquals(50, e.value("nn4j_requests_total", "model", ServeMetrics.UNKNOWN, "version", ServeMetrics.UNKNOWN, "status", "404"));
        assertEquals(1, e.value("nn4j_requests_total", "model", "mlp", "version", ServeMetrics.UNKNOWN, "status", "404"));
        assertEquals(2, e.samples().stream().filter(s -> s.name().equals("nn4j_requests_total")).count(),
                "clients cannot create series with made-up names");
    }

    @Test
    void latencyHistogramsHaveCumulativeBucketsAndQueueAndComputeAreSeparate() {
        metrics.modelLoaded("mlp", "1", Duration.ofMillis(5));
        metrics.requestFinished("mlp", "1", 200, Duration.ofMillis(3));   // in (0.0025, 0.005]
        metrics.requestFinished("mlp", "1", 200, Duration.ofMillis(40));  // in (0.025, 0.05]
        metrics.queueWait("mlp", "1", Duration.ofMillis(2));             // in (0.001, 0.0025]
        metrics.batchComputed("mlp", "1", 6, Duration.ofMillis(7));      // in (0.005, 0.01]; size 6 in (4, 8]
        Exposition e = scrape();
        assertEquals("histogram", e.types().get("nn4j_request_duration_seconds"));
        String[] mlp1 = {"model", "mlp", "version", "1"};
        assertEquals(0, e.value("nn4j_request_duration_seconds_bucket", with(mlp1, "le", "0.0025")));
        assertEquals(1, e.value("nn4j_request_duration_seconds_bucket", with(mlp1, "le", "0.005")));
        assertEquals(1, e.value("nn4j_request_duration_seconds_bucket", with(mlp1, "le", "0.025")));
        assertEquals(2, e.value("nn4j_request_duration_seconds_bucket", with(mlp1, "le", "0.05")));
        assertEquals(2, e.value("nn4j_request_duration_seconds_bucket", with(mlp1, "le", "+Inf")));
        assertEquals(2, e.value("nn4j_request_duration_seconds_count", mlp1));
        assertEquals(0.043, e.value("nn4j_request_duration_seconds_sum", mlp1), 1e-12);

        assertEquals(0, e.value("nn4j_queue_wait_seconds_bucket", with(mlp1, "le", "0.001")));
        assertEquals(1, e.value("nn4j_queue_wait_seconds_bucket", with(mlp1, "le", "0.0025")));
        assertEquals(1, e.value("nn4j_queue_wait_seconds_count", mlp1));
        assertEquals(0, e.value("nn4j_compute_seconds_bucket", with(mlp1, "le", "0.005")));
        assertEquals(1, e.value("nn4j_compute_seconds_bucket", with(mlp1, "le", "0.01")));
        assertEquals(0.007, e.value("nn4j_compute_seconds_sum", mlp1), 1e-12);

        assertEquals(0, e.value("nn4j_batch_size_bucket", with(mlp1, "le", "4.0")));
        assertEquals(1, e.value("nn4j_batch_size_bucket", with(mlp1, "le", "8.0")));
        assertEquals(6, e.value("nn4j_batch_size_sum", mlp1));
    }

    @Test
    void inFlightGaugeFollowsOpenRequestsAndADoubleCloseCountsOnce() {
        ServeMetrics.InFlight a = metrics.startRequest();
        ServeMetrics.InFlight b = metrics.startRequest();
        assertEquals(2, scrape().value("nn4j_requests_in_flight"));
        a.close();
        a.close();
        assertEquals(1, scrape().value("nn4j_requests_in_flight"));
        try (b) {
            metrics.inFlightLimit(64);
            metrics.queueDepth("mlp", 7);
        }
        Exposition e = scrape();
        assertEquals(0, e.value("nn4j_requests_in_flight"));
        assertEquals(64, e.value("nn4j_requests_in_flight_limit"));
        assertEquals(7, e.value("nn4j_queue_depth", "model", ServeMetrics.UNKNOWN), "mlp was never announced");
    }

    @Test
    void modelLoadsFailuresAndReadinessAreReported() {
        metrics.modelLoaded("mlp", "1", Duration.ofMillis(250));
        metrics.modelLoadFailed("mlp");
        metrics.modelLoadFailed("cnn");
        metrics.modelReady("cnn", "1", false);
        Exposition e = scrape();
        assertEquals(0.25, e.value("nn4j_model_load_seconds", "model", "mlp", "version", "1"), 1e-12);
        assertEquals(1, e.value("nn4j_model_loads_total", "model", "mlp"));
        assertEquals(1, e.value("nn4j_model_load_failures_total", "model", "mlp"));
        assertEquals(1, e.value("nn4j_model_load_failures_total", "model", "cnn"));
        assertEquals(1, e.value("nn4j_model_ready", "model", "mlp", "version", "1"));
        assertEquals(0, e.value("nn4j_model_ready", "model", "cnn", "version", "1"));

        metrics.modelLoaded("mlp", "2", Duration.ofMillis(100));
        metrics.modelRemoved("mlp", "1");
        e = scrape();
        assertFalse(e.has("nn4j_model_ready", "model", "mlp", "version", "1"), "an unloaded version leaves no series");
        assertEquals(1, e.value("nn4j_model_ready", "model", "mlp", "version", "2"));
        assertEquals(2, e.value("nn4j_model_loads_total", "model", "mlp"));
    }

    @Test
    void jvmMetricsAreIncludedByDefault() {
        Exposition e = Exposition.parse(new ServeMetrics().scrapeText());
        assertTrue(e.names().contains("jvm_memory_used_bytes"), e.names().toString());
        assertTrue(e.names().contains("jvm_threads_current"), e.names().toString());
        assertTrue(e.names().contains("nn4j_requests_in_flight"));
    }

    @Test
    void scrapeNegotiatesOpenMetricsOrTheTextFormat() {
        metrics.modelLoaded("mlp", "1", Duration.ofMillis(5));
        ServeMetrics.Scrape text = metrics.scrape(null);
        assertTrue(text.contentType().startsWith("text/plain; version=0.0.4"), text.contentType());
        assertEquals(metrics.scrapeText(), new String(text.body(), StandardCharsets.UTF_8));

        ServeMetrics.Scrape om = metrics.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertTrue(om.contentType().startsWith("application/openmetrics-text"), om.contentType());
        String body = new String(om.body(), StandardCharsets.UTF_8);
        assertTrue(body.endsWith("# EOF\n"), body);
        assertTrue(body.contains("nn4j_model_loads_total{model=\"mlp\"} 1"), body);
    }

    private static String[] with(String[] labels, String... more) {
        String[] all = new String[labels.length + more.length];
        System.arraycopy(labels, 0, all, 0, labels.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
