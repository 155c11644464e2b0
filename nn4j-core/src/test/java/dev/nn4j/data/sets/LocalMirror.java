package dev.nn4j.data.sets;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: an HTTP server on 127.0.0.1 (an ephemeral port) serving byte arrays by path, 404 for anything else.
 * Paths under {@code /truncated/} announce 100 more bytes than they send and then close the connection.
 */
final class LocalMirror implements AutoCloseable {
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    LocalMirror() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body = files.get(path);
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else if (path.startsWith("/truncated/")) {
                    exchange.sendResponseHeaders(200, body.length + 100);
                    OutputStream out = exchange.getResponseBody();
                    out.write(body);
                    out.flush();
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
        });
        server.start();
    }

    /** {@code http://127.0.0.1:<port>/<path>}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
