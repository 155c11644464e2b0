package dev.nn4j.data.sets;

/**
 * A failed download. {@link #unreachable()} tells a network that cannot be reached (connection refused,
 * unknown host, connect timeout: most likely offline) from a server that answered wrongly (HTTP error,
 * truncated body, checksum mismatch), so that callers can say "put the files here" instead of "try again".
 */
public final class DownloadException extends RuntimeException {
    private final boolean unreachable;

    public DownloadException(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    /** True when the server could not be reached at all. */
    public boolean unreachable() {
        return unreachable;
    }
}
