package dev.nn4j.data.sets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads one file over HTTP(S) into place safely: the body goes to a temporary file next to the target while
 * its SHA-256 is computed, and only a complete file with the expected checksum is renamed (atomically where the
 * file system allows) to the target name. Any failure deletes the temporary file and leaves the target untouched.
 */
public final class Downloader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20), RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private Downloader() {}

    /**
     * Fetches {@code url} into {@code target}.
     *
     * @param sha256   the expected SHA-256 of the body, lower-case hex
     * @param listener told the progress; its file name is {@code target}'s file name
     * @throws DownloadException on an unreachable server ({@link DownloadException#unreachable()}), an HTTP status
     *                           other than 200, a body shorter than its {@code Content-Length}, or a checksum mismatch
     */
    public static void download(URI url, String sha256, Path target, DownloadListener listener) {
        String name = target.getFileName().toString();
        Path tmp = null;
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(CONNECT_TIMEOUT).build()) {
            Files.createDirectories(target.toAbsolutePath().getParent());
            tmp = Files.createTempFile(target.toAbsolutePath().getParent(), name + ".", ".part");
            HttpResponse<InputStream> response;
            try {
                response = client.send(HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new DownloadException("cannot reach " + url + ": " + describe(e), isUnreachable(e), e);
            }
            long total = response.headers().firstValueAsLong("content-length").orElse(-1);
            long got = 0;
            MessageDigest digest = sha256();
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DownloadException("download of " + url + " failed: HTTP " + response.statusCode(), false, null);
                }
                listener.progress(name, 0, total);
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        digest.update(buf, 0, n);
                        got += n;
                        listener.progress(name, got, total);
                    }
                }
            } catch (IOException e) {
                throw new DownloadException("download of " + url + " broke off after " + got + " of "
                        + (total < 0 ? "an unknown number of" : String.valueOf(total)) + " bytes: " + describe(e), false, e);
            }
            if (total >= 0 && got != total) {
                throw new DownloadException("download of " + url + " is truncated: " + got + " of " + total + " bytes", false, null);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new DownloadException("checksum mismatch for " + url + ": expected SHA-256 " + sha256 + " but the "
                        + got + " bytes received have " + actual + "; the download was deleted", false, null);
            }
            move(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new DownloadException("cannot write " + target + ": " + describe(e), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("download of " + url + " was interrupted", false, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file's name ends in .part; it is never mistaken for a dataset file
                }
            }
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Connection refused, unknown host, no route, connect timeout: the network (or the server) is not there. */
    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        // the HTTP client wraps the cause (an unresolved address inside a ConnectException): look at the whole chain
        if (inChain(e, UnresolvedAddressException.class) || inChain(e, UnknownHostException.class)) return "unknown host";
        if (inChain(e, HttpConnectTimeoutException.class)) return "connection timed out";
        if (e instanceof ConnectException) return e.getMessage() != null ? e.getMessage() : "connection refused";
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static boolean inChain(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }
}
