package dev.nn4j.serve.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's Prometheus metrics, on a registry of their own, and their rendering for {@code /metrics}.
 *
 * <table>
 *   <caption>Metrics (all names start with {@code nn4j_}; times in seconds)</caption>
 *   <tr><th>name</th><th>type</th><th>labels</th><th>recorded by</th></tr>
 *   <tr><td>{@code nn4j_requests_total}</td><td>counter</td><td>model, version, status</td><td>{@link #requestFinished}</td></tr>
 *   <tr><td>{@code nn4j_request_duration_seconds}</td><td>histogram</td><td>model, version</td><td>{@link #requestFinished}: arrival to response</td></tr>
 *   <tr><td>{@code nn4j_queue_wait_seconds}</td><td>histogram</td><td>model, version</td><td>{@link #queueWait}: enqueue to batch start, per request</td></tr>
 *   <tr><td>{@code nn4j_compute_seconds}</td><td>histogram</td><td>model, version</td><td>{@link #batchComputed}: one forward pass, per batch</td></tr>
 *   <tr><td>{@code nn4j_batch_size}</td><td>histogram</td><td>model, version</td><td>{@link #batchComputed}: requests coalesced into one batch</td></tr>
 *   <tr><td>{@code nn4j_requests_in_flight}</td><td>gauge</td><td></td><td>{@link #startRequest}</td></tr>
 *   <tr><td>{@code nn4j_requests_in_flight_limit}</td><td>gauge</td><td></td><td>{@link #inFlightLimit} (0 = none)</td></tr>
 *   <tr><td>{@code nn4j_queue_depth}</td><td>gauge</td><td>model</td><td>{@link #queueDepth}</td></tr>
 *   <tr><td>{@code nn4j_model_ready}</td><td>gauge</td><td>model, version</td><td>{@link #modelReady}, {@link #modelLoaded}: 1 or 0</td></tr>
 *   <tr><td>{@code nn4j_model_load_seconds}</td><td>gauge</td><td>model, version</td><td>{@link #modelLoaded}: the last load's duration</td></tr>
 *   <tr><td>{@code nn4j_model_loads_total}</td><td>counter</td><td>model</td><td>{@link #modelLoaded}</td></tr>
 *   <tr><td>{@code nn4j_model_load_failures_total}</td><td>counter</td><td>model</td><td>{@link #modelLoadFailed}</td></tr>
 *   <tr><td>{@code jvm_*}, {@code process_*}</td><td></td><td></td><td>the client's JVM instrumentation (memory, GC, threads, …)</td></tr>
 * </table>
 *
 * <p><b>Bounded label values.</b> A model or version label is written as given only once the model/version was
 * announced by {@link #modelLoaded} or {@link #modelReady}; any other name (a client asking for
 * {@code /v2/models/<random>}) is counted under {@value #UNKNOWN}, so clients cannot grow the number of series. Pass
 * null when a request names no model (e.g. {@code GET /v2}); it is counted under the empty label value. Pass the
 * version that served the request (the resolved latest one when the URL names none), so a hot reload shows up as a
 * new version label.
 *
 * <p>Latency buckets span 0.5 ms to 10 s; batch-size buckets are powers of two up to 1024. Thread-safe.
 */
public final class ServeMetrics {
    /** Label value used for models and versions that were never announced. */
    public static final String UNKNOWN = "_unknown";
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    /** A rendered scrape: the body and its {@code Content-Type}. */
    public record Scrape(String contentType, byte[] body) {}

    /** Marks one request in flight until closed; use with try-with-resources. Closing twice counts once. */
    public interface InFlight extends AutoCloseable {
        @Override
        void close();
    }

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final ConcurrentHashMap<String, Set<String>> known = new ConcurrentHashMap<>();
    private final Counter requests, loads, loadFailures;
    private final Histogram duration, queueWait, compute, batchSize;
    private final Gauge inFlight, inFlightLimit, queueDepth, ready, loadSeconds;

    /** Metrics on a new registry, with JVM metrics. */
    public ServeMetrics() {
        this(new PrometheusRegistry(), true);
    }

    /**
     * Metrics on {@code registry} (which must not already hold these names).
     *
     * @param jvmMetrics whether to add the client's JVM and process metrics
     */
    public ServeMetrics(PrometheusRegistry registry, boolean jvmMetrics) {
        this.registry = registry;
        requests = Counter.builder().name("nn4j_requests_total")
                .help("Requests answered, by model, version and HTTP status").labelNames("model", "version", "status").register(registry);
        duration = latency("nn4j_request_duration_seconds", "Time from request arrival to response, in seconds");
        queueWait = latency("nn4j_queue_wait_seconds", "Time a request waited for its batch to start, in seconds");
        compute = latency("nn4j_compute_seconds", "Time of one batched forward pass, in seconds");
        batchSize = Histogram.builder().name("nn4j_batch_size").help("Requests coalesced into one forward pass")
                .labelNames("model", "version").classicOnly().classicUpperBounds(BATCH_BUCKETS).register(registry);
        inFlight = Gauge.builder().name("nn4j_requests_in_flight").help("Requests being processed").register(registry);
        inFlightLimit = Gauge.builder().name("nn4j_requests_in_flight_limit")
                .help("Most requests processed at once before the server answers 503 (0 = no limit)").register(registry);
        queueDepth = Gauge.builder().name("nn4j_queue_depth").help("Requests waiting for a batch, by model")
                .labelNames("model").register(registry);
        ready = Gauge.builder().name("nn4j_model_ready").help("1 when the model version is loaded and ready, else 0")
                .labelNames("model", "version").register(registry);
        loadSeconds = Gauge.builder().name("nn4j_model_load_seconds").help("Duration of the last successful load, in seconds")
                .labelNames("model", "version").register(registry);
        loads = Counter.builder().name("nn4j_model_loads_total").help("Successful model loads").labelNames("model").register(registry);
        loadFailures = Counter.builder().name("nn4j_model_load_failures_total")
                .help("Model loads that failed (the old version, if any, kept serving)").labelNames("model").register(registry);
        if (jvmMetrics) {
            JvmMetrics.builder().register(registry);
        }
    }

    private Histogram latency(String name, String help) {
        return Histogram.builder().name(name).help(help).labelNames("model", "version")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    }

    /** The registry, for the server to add its own metrics. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Counts one answered request and observes its total latency. */
    public void requestFinished(String model, String version, int status, Duration latency) {
        String m = model(model), v = version(model, version);
        requests.labelValues(m, v, Integer.toString(status)).inc();
        duration.labelValues(m, v).observe(seconds(latency));
    }

    /** Observes how long one request waited in the batching queue. */
    public void queueWait(String model, String version, Duration wait) {
        queueWait.labelValues(model(model), version(model, version)).observe(seconds(wait));
    }

    /** Observes one forward pass over {@code size} coalesced requests. */
    public void batchComputed(String model, String version, int size, Duration computeTime) {
        String m = model(model), v = version(model, version);
        batchSize.labelValues(m, v).observe(size);
        compute.labelValues(m, v).observe(seconds(computeTime));
    }

    /** Counts a request in flight until the returned handle is closed. */
    public InFlight startRequest() {
        inFlight.inc();
        return new InFlight() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    inFlight.dec();
                }
            }
        };
    }

    /** Publishes the server's limit on concurrent requests (for the saturation alert); 0 means none. */
    public void inFlightLimit(int limit) {
        inFlightLimit.set(limit);
    }

    /** Publishes the number of requests waiting in {@code model}'s batching queue. */
    public void queueDepth(String model, int depth) {
        queueDepth.labelValues(model(model)).set(depth);
    }

    /** Records a successful load of {@code model} {@code version}, taking {@code loadTime}, and marks it ready. */
    public void modelLoaded(String model, String version, Duration loadTime) {
        announce(model, version);
        loads.labelValues(model).inc();
        loadSeconds.labelValues(model, version).set(seconds(loadTime));
        ready.labelValues(model, version).set(1);
    }

    /** Counts a failed load of {@code model} (a new name is announced, so its readiness can be reported as 0). */
    public void modelLoadFailed(String model) {
        known.computeIfAbsent(model, k -> ConcurrentHashMap.newKeySet());
        loadFailures.labelValues(model).inc();
    }

    /** Sets whether {@code model} {@code version} is ready (1) or not (0). */
    public void modelReady(String model, String version, boolean isReady) {
        announce(model, version);
        ready.labelValues(model, version).set(isReady ? 1 : 0);
    }

    /** Drops the readiness and load-time series of a version that was unloaded on purpose (not a failure). */
    public void modelRemoved(String model, String version) {
        ready.remove(model, version);
        loadSeconds.remove(model, version);
    }

    /** The Prometheus text format (version 0.0.4), as {@code /metrics} serves it by default. */
    public String scrapeText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Renders the registry in the format the scraper asks for in its {@code Accept} header (OpenMetrics or the
     * Prometheus text format; the latter when the header is null or names neither).
     */
    public Scrape scrape(String acceptHeader) {
        ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    private void announce(String model, String version) {
        known.computeIfAbsent(model, k -> ConcurrentHashMap.newKeySet()).add(version);
    }

    private String model(String model) {
        return model == null ? "" : known.containsKey(model) ? model : UNKNOWN;
    }

    private String version(String model, String version) {
        if (version == null) {
            return "";
        }
        Set<String> versions = model == null ? null : known.get(model);
        return versions != null && versions.contains(version) ? version : UNKNOWN;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
