package dev.nn4j.serve;

import java.util.List;

/**
 * The server's monitoring seam: access logs and Prometheus metrics (packages {@code dev.nn4j.serve.security} and
 * {@code dev.nn4j.serve.metrics}) listen here. Every method has a no-op default; methods are called from many
 * threads at once and must not block.
 */
public interface RequestObserver {
    /** A request arrived (in-flight gauge up); {@link #finished} follows exactly once for it. */
    default void started(String endpoint) {}

    /** A request was answered (in-flight gauge down, access log, request counters, latency histograms). */
    default void finished(RequestRecord request) {}

    /**
     * One forward pass ran: {@code rows} examples from {@code requests} requests, taking
     * {@code computeNanos}.
     */
    default void batch(String model, String version, int rows, int requests, long computeNanos) {}

    /** A model file was loaded (at start or by a reload); {@code failure} is {@code null} on success. */
    default void modelLoaded(String model, String version, long nanos, Throwable failure) {}

    /** Whether {@link #payload} wants bodies (an opt-in debug log); {@code false} spares the copies. */
    default boolean wantsPayloads() {
        return false;
    }

    /** The raw bodies of a finished request, only when {@link #wantsPayloads()}; the observer masks before logging. */
    default void payload(RequestRecord request, byte[] requestBody, byte[] responseBody) {}

    /** Observes nothing. */
    static RequestObserver none() {
        return new RequestObserver() {};
    }

    /** Forwards every call to each of {@code observers} in order. */
    static RequestObserver all(List<RequestObserver> observers) {
        List<RequestObserver> list = List.copyOf(observers);
        return new RequestObserver() {
            @Override
            public void started(String endpoint) {
                for (RequestObserver o : list) o.started(endpoint);
            }

            @Override
            public void finished(RequestRecord request) {
                for (RequestObserver o : list) o.finished(request);
            }

            @Override
            public void batch(String model, String version, int rows, int requests, long computeNanos) {
                for (RequestObserver o : list) o.batch(model, version, rows, requests, computeNanos);
            }

            @Override
            public void modelLoaded(String model, String version, long nanos, Throwable failure) {
                for (RequestObserver o : list) o.modelLoaded(model, version, nanos, failure);
            }

            @Override
            public boolean wantsPayloads() {
                for (RequestObserver o : list) if (o.wantsPayloads()) return true;
                return false;
            }

            @Override
            public void payload(RequestRecord request, byte[] requestBody, byte[] responseBody) {
                for (RequestObserver o : list) if (o.wantsPayloads()) o.payload(request, requestBody, responseBody);
            }
        };
    }
}
