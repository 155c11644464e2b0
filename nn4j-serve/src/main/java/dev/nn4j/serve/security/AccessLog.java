package dev.nn4j.serve.security;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The access log: one line per request, in logfmt ({@code name=value} pairs), holding only what an operator needs and
 * nothing secret. It has no field for the key, the headers, the query string or the bodies, so none of them can leak
 * into it; the client address is truncated by {@link ClientAddress}.
 *
 * <pre>
 * time=2025-06-01T12:00:00.123Z client=203.0.113.0/24 key=alice method=POST path=/v2/models/mlp/infer model=mlp version=2 status=200 latency_ms=1.234 req_bytes=3190 resp_bytes=412
 * </pre>
 * Missing values are {@code -}. Values with characters outside {@code [A-Za-z0-9._:/@*+-]} are quoted with {@code \"},
 * {@code \\} and control characters escaped, so a crafted path cannot forge a second log line. Paths are cut (marked {@code ...}) at
 * {@value #MAX_PATH} characters. Thread-safe as far as the sink is.
 */
public final class AccessLog {
    static final int MAX_PATH = 256;

    /**
     * One finished request.
     *
     * @param time          when the request arrived
     * @param client        the peer address (truncated when written), or null
     * @param keyId         the API key id, or null when there was none or it was invalid
     * @param method        the HTTP method
     * @param path          the request path; a query string is dropped
     * @param model         the model name, or null
     * @param version       the model version, or null
     * @param status        the HTTP status sent
     * @param latency       time from arrival to the end of the response
     * @param requestBytes  request body size
     * @param responseBytes response body size
     */
    public record Entry(Instant time, InetAddress client, String keyId, String method, String path, String model,
                        String version, int status, Duration latency, long requestBytes, long responseBytes) {}

    private final Consumer<String> sink;

    /** A log that hands each line (without newline) to {@code sink}. */
    public AccessLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** A log that prints each line to {@code out}. */
    public static AccessLog to(PrintStream out) {
        return new AccessLog(out::println);
    }

    /** A log that writes each line at INFO to the {@link System.Logger} named {@code nn4j.access}. */
    public static AccessLog toSystemLogger() {
        System.Logger logger = System.getLogger("nn4j.access");
        return new AccessLog(line -> logger.log(System.Logger.Level.INFO, line));
    }

    /** Formats and writes one line. */
    public void log(Entry e) {
        sink.accept(format(e));
    }

    /** The line for {@code e}, without newline. */
    public static String format(Entry e) {
        String path = e.path();
        if (path != null) {
            int q = path.indexOf('?');
            path = q >= 0 ? path.substring(0, q) : path;
            path = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path;
        }
        StringBuilder sb = new StringBuilder(200);
        sb.append("time=").append(e.time() == null ? "-" : e.time().truncatedTo(ChronoUnit.MILLIS));
        sb.append(" client=").append(ClientAddress.truncate(e.client()));
        field(sb, "key", e.keyId());
        field(sb, "method", e.method());
        field(sb, "path", path);
        field(sb, "model", e.model());
        field(sb, "version", e.version());
        sb.append(" status=").append(e.status());
        sb.append(" latency_ms=").append(e.latency() == null ? "-"
                : String.format(Locale.ROOT, "%.3f", e.latency().toNanos() / 1e6));
        sb.append(" req_bytes=").append(e.requestBytes());
        sb.append(" resp_bytes=").append(e.responseBytes());
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(' ').append(name).append('=');
        if (value == null || value.isEmpty()) {
            sb.append('-');
        } else if (value.chars().allMatch(AccessLog::plain)) {
            sb.append(value);
        } else {
            sb.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".:/@*+_-".indexOf(c) >= 0;
    }
}
