package dev.nn4j.serve;

/**
 * The server's access-control seam: decides, before any work, whether a request may proceed. API keys, per-key
 * model scopes and per-key rate limits (package {@code dev.nn4j.serve.security}) plug in here; {@link #none()}
 * lets every request through, for a server on loopback.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * Decides on one request. Called once per request, so a rate limiter may count here.
     *
     * @param authorization the {@code Authorization} header as sent, or {@code null} when absent
     * @param model         the model the request addresses, or {@code null} for server-level endpoints
     */
    Decision authenticate(String authorization, String model);

    /** The outcome of {@link #authenticate}. */
    sealed interface Decision permits Allowed, Denied {}

    /** The request may proceed; {@code keyId} names the key for logs and metrics (never the key itself). */
    record Allowed(String keyId) implements Decision {}

    /**
     * The request is refused with {@code status} (401 no or wrong key, 403 outside the key's scopes, 429 over the
     * key's rate) and {@code message}; {@code retryAfterSeconds > 0} adds a {@code Retry-After} header.
     */
    record Denied(int status, String message, long retryAfterSeconds) implements Decision {
        public Denied {
            if (status < 400 || status > 499) throw new IllegalArgumentException("Authenticator.Denied: status must be 4xx but was " + status);
        }
    }

    /** Lets every request through as key id {@code "-"}. */
    static Authenticator none() {
        return (authorization, model) -> new Allowed("-");
    }
}
