package dev.nn4j.serve;

/**
 * An error the server answers with {@code status} and {@code {"error": message}}; {@code retryAfterSeconds > 0}
 * adds a {@code Retry-After} header (503 overload, 429 rate limit).
 */
public final class ServeException extends RuntimeException {
    private final int status;
    private final long retryAfterSeconds;

    public ServeException(int status, String message) {
        this(status, message, 0);
    }

    public ServeException(int status, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
