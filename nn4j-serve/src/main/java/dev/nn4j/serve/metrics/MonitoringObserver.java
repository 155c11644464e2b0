package dev.nn4j.serve.metrics;

import dev.nn4j.serve.RequestObserver;
import dev.nn4j.serve.RequestRecord;
import dev.nn4j.serve.security.AccessLog;
import dev.nn4j.serve.security.PayloadLog;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The server's {@link RequestObserver} from the monitoring parts: every request goes to {@link ServeMetrics}
 * (count by model, version and status; latency, queue wait; in-flight gauge), every forward pass to the batch-size
 * and compute histograms, every model load to the load metrics, and — when given — each request to the
 * {@link AccessLog} and its masked bodies to the opt-in {@link PayloadLog}.
 *
 * <p>Nothing secret reaches the logs: {@link RequestRecord} carries no key and no body; the access log gets the route
 * template (e.g. {@code /v2/models/{name}/infer}, never the raw path or query) and the truncated client network;
 * bodies go only to a payload log, which masks fields and truncates tensors. Thread-safe; never blocks beyond the
 * sinks' own writes.
 */
public final class MonitoringObserver implements RequestObserver {
    private final ServeMetrics metrics;
    private final AccessLog accessLog;
    private final PayloadLog payloadLog;
    /** Interchangeable in-flight handles: {@link #started} adds one, {@link #finished} closes one. */
    private final ConcurrentLinkedQueue<ServeMetrics.InFlight> inFlight = new ConcurrentLinkedQueue<>();

    /**
     * @param metrics    where counts and histograms go
     * @param accessLog  the access log, or {@code null} for none
     * @param payloadLog the debug payload log, or {@code null} (the default) so that bodies are never even copied
     */
    public MonitoringObserver(ServeMetrics metrics, AccessLog accessLog, PayloadLog payloadLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.payloadLog = payloadLog;
    }

    @Override
    public void started(String endpoint) {
        inFlight.add(metrics.startRequest());
    }

    @Override
    public void finished(RequestRecord r) {
        ServeMetrics.InFlight handle = inFlight.poll();
        if (handle != null) handle.close();
        metrics.requestFinished(r.model(), r.version(), r.status(), Duration.ofNanos(r.latencyNanos()));
        if (r.computeNanos() > 0) metrics.queueWait(r.model(), r.version(), Duration.ofNanos(r.queueNanos()));
        if (accessLog != null) {
            accessLog.log(new AccessLog.Entry(r.time(), address(r.clientAddress()), r.keyId(), r.method(), r.endpoint(),
                    r.model(), r.version(), r.status(), Duration.ofNanos(r.latencyNanos()), r.requestBytes(), r.responseBytes()));
        }
    }

    @Override
    public void batch(String model, String version, int rows, int requests, long computeNanos) {
        metrics.batchComputed(model, version, requests, Duration.ofNanos(computeNanos));
    }

    @Override
    public void modelLoaded(String model, String version, long nanos, Throwable failure) {
        if (failure == null) metrics.modelLoaded(model, version, Duration.ofNanos(nanos));
        else metrics.modelLoadFailed(model);
    }

    @Override
    public boolean wantsPayloads() {
        return payloadLog != null;
    }

    @Override
    public void payload(RequestRecord r, byte[] requestBody, byte[] responseBody) {
        if (payloadLog == null) return;
        String id = r.method() + " " + r.endpoint() + " " + (r.model() == null ? "-" : r.model()) + " " + r.status();
        payloadLog.log("request", id, null, requestBody);
        payloadLog.log("response", id, null, responseBody);
    }

    /** The address of an IP literal, without any DNS lookup; {@code null} for anything else. */
    static InetAddress address(String literal) {
        if (literal == null) return null;
        try {
            String s = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
