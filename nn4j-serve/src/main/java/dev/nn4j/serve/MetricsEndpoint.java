package dev.nn4j.serve;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The body of {@code GET /metrics}: a Prometheus scrape written by the metrics registry
 * ({@code dev.nn4j.serve.metrics}). The server serves it on its own port when one is configured, otherwise on the
 * main port behind the {@link Authenticator}.
 */
@FunctionalInterface
public interface MetricsEndpoint {
    /** Writes the current scrape. */
    void write(OutputStream out) throws IOException;

    /** The {@code Content-Type} of the scrape; Prometheus' text format 0.0.4 unless overridden. */
    default String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
