package dev.nn4j.serve.security;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The opt-in debug payload log: request and response bodies with sensitive fields masked and long tensors and strings
 * cut short. Off unless the operator turns it on; the {@link AccessLog} never holds bodies.
 *
 * <p><b>Masking</b>: the value of every JSON object field whose name is in {@code maskedFields} (case-insensitive, at
 * any depth) is replaced by {@code "***"} — an array by {@code "*** (N values)"} so the shape stays visible.
 * <b>Truncation</b>: arrays keep their first {@code maxElements} elements followed by {@code "… (+N more)"}; strings
 * keep {@code maxStringChars} characters followed by {@code "… (+N chars)"}. A body that is not JSON is never
 * written, only described ({@code <non-JSON body, 5123 bytes>}); the binary tensor data after the JSON header of the
 * binary extension is only counted ({@code <+ 3136 bytes of binary tensor data>}).
 *
 * <p><b>Parameters</b>: {@code maskedFields} (default {@link #DEFAULT_MASKED}: the tensor {@code data} of the Open
 * Inference Protocol and common secret names); {@code maxElements} ≥ 0 (default 8); {@code maxStringChars} ≥ 0
 * (default 64).
 */
public final class PayloadLog {
    /** Fields masked unless the operator configures others: tensor data and secret-looking names. */
    public static final Set<String> DEFAULT_MASKED = Set.of("data", "authorization", "api_key", "apikey", "key",
            "token", "password", "secret");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> sink;
    private final Set<String> masked;
    private final int maxElements;
    private final int maxStringChars;

    /** A payload log with the default masks and limits. */
    public PayloadLog(Consumer<String> sink) {
        this(sink, DEFAULT_MASKED, 8, 64);
    }

    /**
     * @param sink           where each line goes
     * @param maskedFields   JSON field names whose values are masked (case-insensitive)
     * @param maxElements    array elements kept
     * @param maxStringChars string characters kept
     */
    public PayloadLog(Consumer<String> sink, Set<String> maskedFields, int maxElements, int maxStringChars) {
        if (maxElements < 0 || maxStringChars < 0) {
            throw new IllegalArgumentException("PayloadLog: maxElements and maxStringChars must be >= 0, got "
                    + maxElements + " and " + maxStringChars);
        }
        this.sink = sink;
        this.masked = maskedFields.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.maxElements = maxElements;
        this.maxStringChars = maxStringChars;
    }

    /**
     * Writes one line: {@code direction} (e.g. {@code request} or {@code response}), the request id and the masked
     * body.
     */
    public void log(String direction, String requestId, String contentType, byte[] body) {
        sink.accept("payload " + direction + " id=" + (requestId == null ? "-" : mask(new TextNode(requestId)))
                + " body=" + mask(contentType, body));
    }

    /** The masked, truncated form of a body, as compact JSON or a description of a non-JSON body. */
    public String mask(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return "<empty>";
        }
        boolean json = contentType == null || contentType.toLowerCase(Locale.ROOT).contains("json");
        if (!json) {
            return "<non-JSON body, " + body.length + " bytes>";
        }
        JsonNode tree;
        int binary;
        try (JsonParser p = JSON.createParser(body)) {
            tree = JSON.readTree(p);
            if (tree == null) return "<unparseable JSON body, " + body.length + " bytes>";
            binary = trailing(body, (int) p.currentLocation().getByteOffset());
        } catch (IOException e) {
            return "<unparseable JSON body, " + body.length + " bytes>";
        }
        return binary == 0 ? mask(tree) : mask(tree) + " <+ " + binary + " bytes of binary tensor data>";
    }

    /** Bytes after the JSON value that ends at {@code end}, not counting whitespace: a binary tensor data tail. */
    private static int trailing(byte[] body, int end) {
        int from = end;
        while (from < body.length && (body[from] == ' ' || body[from] == '\n' || body[from] == '\r' || body[from] == '\t')) from++;
        return body.length - from;
    }

    /** The masked, truncated form of a JSON tree, as compact JSON. */
    public String mask(JsonNode tree) {
        try {
            return JSON.writeValueAsString(transform(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PayloadLog: cannot write a masked JSON tree", e);
        }
    }

    private JsonNode transform(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isObject()) {
            ObjectNode out = f.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (masked.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                    JsonNode v = e.getValue();
                    out.put(e.getKey(), v.isArray() ? "*** (" + countLeaves(v) + " values)" : "***");
                } else {
                    out.set(e.getKey(), transform(e.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = f.arrayNode();
            int n = node.size();
            for (int i = 0; i < Math.min(n, maxElements); i++) {
                out.add(transform(node.get(i)));
            }
            if (n > maxElements) {
                out.add("… (+" + (n - maxElements) + " more)");
            }
            return out;
        }
        if (node.isTextual()) {
            String s = node.asText();
            return s.length() <= maxStringChars ? node
                    : f.textNode(s.substring(0, maxStringChars) + "… (+" + (s.length() - maxStringChars) + " chars)");
        }
        return node;
    }

    private static long countLeaves(JsonNode node) {
        if (!node.isArray()) {
            return 1;
        }
        long n = 0;
        for (JsonNode child : node) {
            n += countLeaves(child);
        }
        return n;
    }
}
