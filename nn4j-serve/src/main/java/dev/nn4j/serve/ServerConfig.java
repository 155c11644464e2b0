package dev.nn4j.serve;

import javax.net.ssl.SSLContext;
import java.util.Objects;

/**
 * Everything {@link InferenceServer} needs besides its models: address, batching, input limits, shutdown and reload
 * timing, and the security and monitoring plug-ins. Start from {@link #defaults()} and change fields with the
 * {@code with…} methods; the constructor checks every range.
 *
 * @param host             address to listen on (loopback by default)
 * @param port             TCP port; 0 picks a free one ({@link InferenceServer#port()} tells which)
 * @param maxBatch         most examples in one forward pass; 1 turns dynamic batching off
 * @param maxWaitMs        longest a request waits for others to join its batch
 * @param maxQueueRows     examples queued per model before new requests get 503 with {@code Retry-After}
 * @param maxBodyBytes     largest request body; bigger ones get 413
 * @param maxRequestRows   largest batch dimension of one request; bigger ones get 400
 * @param maxRank          largest tensor rank of one input; bigger ones get 400
 * @param requestTimeoutMs longest a request waits for its result (queue and compute) before it gets 503
 * @param drainTimeoutMs   longest {@link InferenceServer#close()} waits for in-flight requests
 * @param reloadPollMs     how often model files are checked for changes; 0 turns file watching off
 * @param metricsPort      port of a separate, unauthenticated {@code /metrics} listener on {@code host}; -1 serves
 *                         {@code /metrics} on the main port behind the authenticator; 0 picks a free port
 * @param authenticator    API keys, scopes and rate limits ({@link Authenticator#none()} lets everything through)
 * @param observer         access log and metrics ({@link RequestObserver#none()} observes nothing)
 * @param metrics          the scrape behind {@code /metrics}, or {@code null} for no {@code /metrics} at all
 * @param tls              the TLS context both listeners serve HTTPS with (see {@code security.TlsContexts}), or
 *                         {@code null} for plain HTTP
 */
public record ServerConfig(String host, int port, int maxBatch, long maxWaitMs, int maxQueueRows, long maxBodyBytes,
                           int maxRequestRows, int maxRank, long requestTimeoutMs, long drainTimeoutMs, long reloadPollMs,
                           int metricsPort, Authenticator authenticator, RequestObserver observer, MetricsEndpoint metrics,
                           SSLContext tls) {
    public ServerConfig {
        Objects.requireNonNull(host, "ServerConfig: host");
        Objects.requireNonNull(authenticator, "ServerConfig: authenticator");
        Objects.requireNonNull(observer, "ServerConfig: observer");
        check(port >= 0 && port <= 65535, "port", port, "0…65535");
        check(maxBatch >= 1, "maxBatch", maxBatch, "at least 1");
        check(maxWaitMs >= 0, "maxWaitMs", maxWaitMs, "at least 0");
        check(maxRequestRows >= 1, "maxRequestRows", maxRequestRows, "at least 1");
        check(maxQueueRows >= maxRequestRows, "maxQueueRows", maxQueueRows, "at least maxRequestRows (" + maxRequestRows + ")");
        check(maxBodyBytes >= 1, "maxBodyBytes", maxBodyBytes, "at least 1");
        check(maxRank >= 2, "maxRank", maxRank, "at least 2");
        check(requestTimeoutMs >= 1, "requestTimeoutMs", requestTimeoutMs, "at least 1");
        check(drainTimeoutMs >= 0, "drainTimeoutMs", drainTimeoutMs, "at least 0");
        check(reloadPollMs >= 0, "reloadPollMs", reloadPollMs, "at least 0");
        check(metricsPort >= -1 && metricsPort <= 65535, "metricsPort", metricsPort, "-1…65535");
    }

    private static void check(boolean ok, String name, long value, String range) {
        if (!ok) throw new IllegalArgumentException("ServerConfig: " + name + " must be " + range + " but was " + value);
    }

    /**
     * 127.0.0.1:8080, batches of up to 32 examples waiting at most 2 ms, 1024 queued examples per model, 4 MiB
     * bodies, 256 examples and rank 8 per request, 10 s request timeout, 30 s drain, files checked every second,
     * {@code /metrics} (if any) on the main port, no keys, no observer, plain HTTP.
     */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, 32, 2, 1024, 4L << 20, 256, 8, 10_000, 30_000, 1000, -1,
                Authenticator.none(), RequestObserver.none(), null, null);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withBatching(int maxBatch, long maxWaitMs) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withLimits(int maxQueueRows, long maxBodyBytes, int maxRequestRows, int maxRank, long requestTimeoutMs) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withDrainTimeoutMs(long drainTimeoutMs) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withReloadPollMs(long reloadPollMs) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withAuthenticator(Authenticator authenticator) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withObserver(RequestObserver observer) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withMetrics(MetricsEndpoint metrics, int metricsPort) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }

    public ServerConfig withTls(SSLContext tls) {
        return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueueRows, maxBodyBytes, maxRequestRows, maxRank, requestTimeoutMs, drainTimeoutMs, reloadPollMs, metricsPort, authenticator, observer, metrics, tls);
    }
}
