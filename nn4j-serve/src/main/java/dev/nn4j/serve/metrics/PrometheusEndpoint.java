package dev.nn4j.serve.metrics;

import dev.nn4j.serve.MetricsEndpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The server's {@code GET /metrics} over {@link ServeMetrics}: the Prometheus text format (0.0.4). {@code beforeScrape}
 * runs first on each scrape, for gauges that are sampled rather than counted (the batching queues' depth).
 */
public final class PrometheusEndpoint implements MetricsEndpoint {
    private final ServeMetrics metrics;
    private final Runnable beforeScrape;

    /** A scrape of {@code metrics}, refreshing sampled gauges with {@code beforeScrape} (may be {@code null}). */
    public PrometheusEndpoint(ServeMetrics metrics, Runnable beforeScrape) {
        this.metrics = metrics;
        this.beforeScrape = beforeScrape;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        if (beforeScrape != null) beforeScrape.run();
        out.write(metrics.scrapeText().getBytes(StandardCharsets.UTF_8));
    }
}
