package dev.nn4j.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import dev.nn4j.serve.ServeException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** One HTTP answer: status, content type, body and extra headers; JSON bodies are written with a streaming generator. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";
    /**
     * Jackson's parse and write buffers, in one pool for all threads. Jackson's default pool keeps them per thread, and
     * every request runs on a new virtual thread, so each request allocated its own: a quarter of the server's
     * allocation under load (JFR allocation samples), which the young collections then paid for.
     */
    static final RecyclerPool<BufferRecycler> BUFFERS = JsonRecyclerPools.newConcurrentDequePool();
    static final JsonFactory FACTORY = JsonFactory.builder().recyclerPool(BUFFERS).build();

    /** Writes a JSON body with {@code writer}. */
    interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    static Reply json(int status, JsonWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reply(status, JSON, out.toByteArray(), Map.of());
    }

    /** {@code {"error": message}} with {@code Retry-After} when asked for, and a Bearer challenge on 401. */
    static Reply error(ServeException e) {
        Reply r = json(e.status(), g -> {
            g.writeStartObject();
            g.writeStringField("error", e.getMessage());
            g.writeEndObject();
        });
        Map<String, String> headers = e.retryAfterSeconds() > 0 ? Map.of("Retry-After", Long.toString(e.retryAfterSeconds()))
                : e.status() == 401 ? Map.of("WWW-Authenticate", "Bearer") : Map.of();
        return new Reply(r.status, r.contentType, r.body, headers);
    }

    static Reply empty(int status) {
        return new Reply(status, null, new byte[0], Map.of());
    }
}
