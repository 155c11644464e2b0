package dev.nn4j.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nn4j.serve.Authenticator;
import dev.nn4j.serve.RequestRecord;
import dev.nn4j.serve.ServeException;
import dev.nn4j.serve.ServerConfig;
import dev.nn4j.serve.batch.Batcher;
import dev.nn4j.serve.model.LoadedModel;
import dev.nn4j.serve.model.ModelRepository;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The HTTP routes of the server: the REST side of the Open Inference Protocol (KServe v2), the model-repository
 * load call, the image endpoint {@code /v1/models/{name}/predict} and {@code /metrics}. Runs blocking on a virtual
 * thread per request. Every error is {@code {"error": "…"}} with its status; every request is reported to the
 * observer once, without its payload unless the observer asks for payloads.
 */
public final class OipHandler extends Handler.Abstract {
    /** Server name and version in {@code GET /v2}. */
    public static final String SERVER_NAME = "nn4j", SERVER_VERSION = "0.1.0";
    /**
     * Open Inference Protocol extensions this server implements: {@code model_repository} (load only) and
     * {@code binary_tensor_data} (inputs and outputs as raw little-endian bytes after a JSON header).
     */
    public static final List<String> EXTENSIONS = List.of("model_repository", "binary_tensor_data");
    /** Names of the outputs of every served model, in the order they are returned. */
    public static final List<String> OUTPUTS = List.of("logits", "probabilities", "predicted_class", "predicted_label");

    private static final ObjectMapper MAPPER = InferRequest.MAPPER;

    private final ModelRepository models;
    private final ServerConfig config;
    private final Connector metricsConnector;
    private final BooleanSupplier closing;

    /**
     * @param metricsConnector the connector of the separate {@code /metrics} port (which serves nothing else), or null
     * @param closing          true once shutdown began: readiness turns 503
     */
    public OipHandler(ModelRepository models, ServerConfig config, Connector metricsConnector, BooleanSupplier closing) {
        this.models = models;
        this.config = config;
        this.metricsConnector = metricsConnector;
        this.closing = closing;
    }

    /** Per-request facts collected along the way for the {@link RequestRecord}. */
    private static final class Exchange {
        String endpoint = "unmatched", keyId, model, version;
        long queueNanos, computeNanos, requestBytes;
        byte[] requestBody;
        boolean bodyRead;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        Instant time = Instant.now();
        Exchange x = new Exchange();
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        boolean metricsPort = metricsConnector != null && request.getConnectionMetaData().getConnector() == metricsConnector;
        Route route = metricsPort ? (path.equals("/metrics") ? new Route("/metrics", "GET", null, null, Kind.METRICS) : null)
                : Route.match(path);
        if (route != null) x.endpoint = route.endpoint();
        config.observer().started(x.endpoint);
        Reply reply;
        try {
            if (route == null) throw new ServeException(404, "no such endpoint: " + method + " " + path);
            if (!route.method().equals(method)) throw new ServeException(405, route.endpoint() + " takes " + route.method() + ", not " + method);
            x.model = route.model();
            x.version = route.version();
            if (route.kind() != Kind.LIVE && route.kind() != Kind.READY && !metricsPort) {
                switch (config.authenticator().authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION), route.model())) {
                    case Authenticator.Allowed a -> x.keyId = a.keyId();
                    case Authenticator.Denied d -> throw new ServeException(d.status(), d.message(), d.retryAfterSeconds());
                }
            }
            reply = dispatch(route, request, x);
        } catch (ServeException e) {
            reply = Reply.error(e);
        } catch (RuntimeException e) {
            reply = Reply.error(new ServeException(500, "internal error: " + e));
        }
        if (!x.bodyRead) swallow(request);
        if (reply.status() == 405 && route != null) reply = withHeader(reply, "Allow", route.method());
        response.setStatus(reply.status());
        if (reply.contentType() != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        RequestRecord record = new RequestRecord(time, method, x.endpoint, x.keyId, x.model, x.version, reply.status(),
                System.nanoTime() - start, x.queueNanos, x.computeNanos, x.requestBytes, reply.body().length,
                Request.getRemoteAddr(request), reply.status() >= 400 ? error(reply) : null);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
        config.observer().finished(record);
        if (config.observer().wantsPayloads()) config.observer().payload(record, x.requestBody, reply.body());
        return true;
    }

    /**
     * Reads and drops a request body the answer did not need (a 401, 404 or 429 decided from the headers), up to the
     * swallow limit, so that a client still sending it reads the answer instead of a reset connection and the
     * connection stays usable. Larger bodies are left to Jetty, which then closes the connection.
     */
    private void swallow(Request request) {
        long limit = swallowLimit();
        if (request.getLength() > limit) return;
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] buffer = new byte[16384];
            long total = 0;
            for (int r; total <= limit && (r = in.read(buffer)) >= 0; ) total += r;
        } catch (IOException e) {
            // the client stopped sending or went away; the answer is written (or fails) as usual
        }
    }

    private long swallowLimit() {
        return Math.max(2L << 20, 4 * config.maxBodyBytes());
    }

    private static Reply withHeader(Reply r, String name, String value) {
        Map<String, String> headers = new java.util.HashMap<>(r.headers());
        headers.put(name, value);
        return new Reply(r.status(), r.contentType(), r.body(), headers);
    }

    private static String error(Reply reply) {
        try {
            return MAPPER.readTree(reply.body()).path("error").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private Reply dispatch(Route route, Request request, Exchange x) {
        return switch (route.kind()) {
            case LIVE -> Reply.empty(200);
            case READY -> closing.getAsBoolean() ? Reply.error(new ServeException(503, "shutting down", 1)) : Reply.empty(200);
            case SERVER_METADATA -> Reply.json(200, g -> {
                g.writeStartObject();
                g.writeStringField("name", SERVER_NAME);
                g.writeStringField("version", SERVER_VERSION);
                strings(g, "extensions", EXTENSIONS);
                g.writeEndObject();
            });
            case MODEL_METADATA -> metadata(models.resolve(route.model(), route.version()));
            case MODEL_READY -> {
                LoadedModel m = models.resolve(route.model(), route.version());
                x.version = m.version();
                yield closing.getAsBoolean() ? Reply.error(new ServeException(503, "shutting down", 1)) : Reply.empty(200);
            }
            case INFER -> infer(route, request, x);
            case PREDICT -> predict(route, request, x);
            case LOAD -> load(route, request, x);
            case METRICS -> metrics();
        };
    }

    // ------------------------------------------------------------------ metadata

    private Reply metadata(LoadedModel m) {
        List<String> versions = models.versions(m.name());
        return Reply.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("name", m.name());
            strings(g, "versions", versions);
            g.writeStringField("platform", "nn4j");
            g.writeArrayFieldStart("inputs");
            int[] one = m.inputShape();
            int[] shape = new int[one.length + 1];
            shape[0] = -1;
            System.arraycopy(one, 0, shape, 1, one.length);
            tensorMeta(g, TensorInput.NAME, "FP32", shape);
            g.writeEndArray();
            g.writeArrayFieldStart("outputs");
            tensorMeta(g, "logits", "FP32", new int[]{-1, m.outputs()});
            tensorMeta(g, "probabilities", "FP32", new int[]{-1, m.outputs()});
            tensorMeta(g, "predicted_class", "INT64", new int[]{-1});
            tensorMeta(g, "predicted_label", "BYTES", new int[]{-1});
            g.writeEndArray();
            g.writeObjectFieldStart("parameters");
            g.writeStringField("version", m.version());
            g.writeStringField("classes", String.join(",", m.classes()));
            if (m.preprocessingJson() != null) g.writeStringField("preprocessing", m.preprocessingJson());
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void tensorMeta(JsonGenerator g, String name, String datatype, int[] shape) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("datatype", datatype);
        g.writeArrayFieldStart("shape");
        for (int d : shape) g.writeNumber(d);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    // ------------------------------------------------------------------ inference

    private Reply infer(Route route, Request request, Exchange x) {
        String headerLength = request.getHeaders().get(BinaryTensors.HEADER_LENGTH);
        if (headerLength == null) {
            requireMediaType(request, "application/json", "send a JSON body with Content-Type: application/json");
        } else {
            String type = mediaType(request);
            if (type != null && !type.equals("application/json") && !type.equals("application/octet-stream")) {
                throw new ServeException(415, "unsupported media type " + type + "; a body with binary tensor data takes"
                        + " Content-Type application/octet-stream (or application/json)");
            }
        }
        byte[] body = body(request, x);
        int jsonLength = headerLength == null ? -1 : headerLength(headerLength, body.length);
        LoadedModel model = models.resolve(route.model(), route.version());
        InferRequest req = InferRequest.parse(body, jsonLength, new TensorInput.Target(model.name(), model.inputShape(), model.features()),
                config.maxRequestRows(), config.maxRank());
        String id = req.id();
        List<String> wanted = req.outputs();
        TensorInput.Rows rows = req.rows();
        Answer answer = run(route, rows.values(), rows.rows(), x);
        LoadedModel m = answer.model;
        float[] logits = answer.result.outputs();
        int n = rows.rows(), c = m.outputs();
        float[] probs = softmax(logits, n, c);
        long[] classes = classes(logits, n, c);
        Set<String> binary = req.binaryOutputs();
        List<byte[]> tail = new ArrayList<>();
        Reply header = Reply.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("model_name", m.name());
            g.writeStringField("model_version", m.version());
            if (id != null) g.writeStringField("id", id);
            g.writeArrayFieldStart("outputs");
            for (String name : wanted) {
                g.writeStartObject();
                g.writeStringField("name", name);
                g.writeArrayFieldStart("shape");
                g.writeNumber(n);
                if (name.equals("logits") || name.equals("probabilities")) g.writeNumber(c);
                g.writeEndArray();
                g.writeStringField("datatype", switch (name) {
                    case "predicted_class" -> "INT64";
                    case "predicted_label" -> "BYTES";
                    default -> "FP32";
                });
                if (binary.contains(name)) {
                    byte[] bytes = switch (name) {
                        case "logits" -> BinaryTensors.fp32(logits);
                        case "probabilities" -> BinaryTensors.fp32(probs);
                        case "predicted_class" -> BinaryTensors.int64(classes);
                        default -> BinaryTensors.strings(labels(m, classes));
                    };
                    tail.add(bytes);
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", bytes.length);
                    g.writeEndObject();
                    g.writeEndObject();
                    continue;
                }
                g.writeArrayFieldStart("data");
                switch (name) {
                    case "logits" -> { for (float v : logits) g.writeNumber(v); }
                    case "probabilities" -> { for (float v : probs) g.writeNumber(v); }
                    case "predicted_class" -> { for (long k : classes) g.writeNumber(k); }
                    default -> { for (String label : labels(m, classes)) g.writeString(label); }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        if (tail.isEmpty()) return header;
        // binary tensor data extension: the JSON header, then each binary output's bytes in order
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.body().length + 256);
        out.writeBytes(header.body());
        tail.forEach(out::writeBytes);
        return new Reply(200, "application/octet-stream", out.toByteArray(),
                Map.of(BinaryTensors.HEADER_LENGTH, Integer.toString(header.body().length)));
    }

    /** The value of {@code Inference-Header-Content-Length}: the JSON part's length, from 1 to the body's length. */
    private static int headerLength(String value, int bodyLength) {
        long length;
        try {
            length = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ServeException(400, BinaryTensors.HEADER_LENGTH + " must be an integer but was '" + value + "'");
        }
        if (length < 1 || length > bodyLength) {
            throw new ServeException(400, BinaryTensors.HEADER_LENGTH + " is " + length + " but the body has " + bodyLength
                    + " bytes; it must give the length of the JSON part that starts the body");
        }
        return (int) length;
    }

    private static long[] classes(float[] logits, int n, int c) {
        long[] k = new long[n];
        for (int i = 0; i < n; i++) k[i] = argmax(logits, i, c);
        return k;
    }

    private static List<String> labels(LoadedModel m, long[] classes) {
        List<String> labels = new ArrayList<>(classes.length);
        for (long k : classes) labels.add(m.classes().get((int) k));
        return labels;
    }

    private record Answer(LoadedModel model, Batcher.Result result) {}

    /**
     * Queues the rows on the model's batcher and waits for them within the request timeout. A model swapped out between
     * resolving and queueing refuses with {@link Batcher.ClosedException}; the request then goes to the new one.
     */
    private Answer run(Route route, float[] values, int n, Exchange x) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
        for (int attempt = 0; ; attempt++) {
            LoadedModel model = models.resolve(route.model(), route.version());
            x.version = model.version();
            CompletableFuture<Batcher.Result> future;
            try {
                future = model.batcher().submit(values, n);
            } catch (Batcher.ClosedException e) {
                if (closing.getAsBoolean() || attempt >= 3) throw new ServeException(503, "model " + model.name() + " is not accepting requests now", 1);
                continue;
            } catch (Batcher.QueueFullException e) {
                throw new ServeException(503, e.getMessage() + "; retry later", 1);
            }
            try {
                Batcher.Result r = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                x.queueNanos = r.queueNanos();
                x.computeNanos = r.computeNanos();
                return new Answer(model, r);
            } catch (TimeoutException e) {
                future.cancel(false);
                throw new ServeException(503, "no answer within the request timeout of " + config.requestTimeoutMs() + " ms; the server is overloaded", 1);
            } catch (ExecutionException e) {
                throw new ServeException(500, "model " + model.name() + " v" + model.version() + " failed: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServeException(503, "interrupted while waiting for the model", 1);
            }
        }
    }

    static float[] softmax(float[] logits, int n, int c) {
        float[] p = new float[logits.length];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < c; j++) max = Math.max(max, logits[i * c + j]);
            for (int j = 0; j < c; j++) sum += Math.exp(logits[i * c + j] - max);
            for (int j = 0; j < c; j++) p[i * c + j] = (float) (Math.exp(logits[i * c + j] - max) / sum);
        }
        return p;
    }

    static int argmax(float[] values, int row, int c) {
        int best = 0;
        for (int j = 1; j < c; j++) if (values[row * c + j] > values[row * c + best]) best = j;
        return best;
    }

    // ------------------------------------------------------------------ image predict

    private Reply predict(Route route, Request request, Exchange x) {
        String type = mediaType(request);
        if (type != null && !type.equals("image/png") && !type.equals("image/jpeg") && !type.equals("application/octet-stream")) {
            throw new ServeException(415, "unsupported media type " + type + "; send a PNG or JPEG with Content-Type image/png or image/jpeg");
        }
        byte[] body = body(request, x);
        LoadedModel model = models.resolve(route.model(), route.version());
        int top = top(request, model.outputs());
        float[] example = ImageInput.read(body, model);
        Answer answer = run(route, example, 1, x);
        LoadedModel m = answer.model;
        float[] p = softmax(answer.result.outputs(), 1, m.outputs());
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        return Reply.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("model_name", m.name());
            g.writeStringField("model_version", m.version());
            g.writeStringField("class", m.classes().get(order[0]));
            g.writeNumberField("index", order[0]);
            g.writeNumberField("probability", p[order[0]]);
            g.writeArrayFieldStart("top");
            for (int k = 0; k < top; k++) {
                g.writeStartObject();
                g.writeStringField("class", m.classes().get(order[k]));
                g.writeNumberField("index", order[k]);
                g.writeNumberField("probability", p[order[k]]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static int top(Request request, int classes) {
        Fields query = Request.extractQueryParameters(request);
        String value = query.getValue("top");
        if (value == null) return Math.min(5, classes);
        try {
            int k = Integer.parseInt(value);
            if (k >= 1 && k <= classes) return k;
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new ServeException(400, "top must be an integer from 1 to " + classes + " but was '" + value + "'");
    }

    // ------------------------------------------------------------------ repository and metrics

    private Reply load(Route route, Request request, Exchange x) {
        body(request, x); // the optional body carries nothing this server uses; read it within the limit
        ModelRepository.ReloadResult result = models.reload(route.model(), true);
        if (!result.failed().isEmpty()) {
            StringBuilder message = new StringBuilder("model " + route.model() + " was not reloaded:");
            result.failed().forEach((v, e) -> message.append(" version ").append(v).append(": ").append(e).append(';'));
            message.append(" the previously loaded model keeps serving");
            throw new ServeException(400, message.toString());
        }
        return Reply.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("name", route.model());
            g.writeBooleanField("load", true);
            strings(g, "versions", result.loaded());
            g.writeEndObject();
        });
    }

    private Reply metrics() {
        if (config.metrics() == null) throw new ServeException(404, "metrics are not enabled on this server");
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            config.metrics().write(out);
        } catch (IOException e) {
            throw new ServeException(500, "cannot write metrics: " + e.getMessage());
        }
        return new Reply(200, config.metrics().contentType(), out.toByteArray(), Map.of());
    }

    // ------------------------------------------------------------------ bodies

    private static String mediaType(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) return null;
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static void requireMediaType(Request request, String expected, String hint) {
        String type = mediaType(request);
        if (type != null && !type.equals(expected)) throw new ServeException(415, "unsupported media type " + type + "; " + hint);
    }

    /**
     * The whole body, refusing with 413 past {@code maxBodyBytes} (by Content-Length before reading, else while
     * reading). Like Tomcat's swallow limit, a refused body of moderate size is read and discarded before the
     * answer, so the client, still sending, gets the 413 instead of a reset connection.
     */
    private byte[] body(Request request, Exchange x) {
        long max = config.maxBodyBytes();
        long swallow = swallowLimit();
        x.bodyRead = true;
        long declared = request.getLength();
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > max) {
                if (declared <= swallow) in.skipNBytes(declared);
                throw new ServeException(413, "body of " + declared + " bytes is over the limit of " + max + " bytes");
            }
            // With a Content-Length (every client here sends one) the body is read straight into its own array:
            // one allocation per request instead of a growing buffer, a copy buffer and a final copy.
            body = declared >= 0 ? in.readNBytes((int) declared) : readChunked(in, max, swallow);
        } catch (IOException e) {
            throw new ServeException(400, "cannot read the body: " + e.getMessage());
        }
        x.requestBytes = body.length;
        if (config.observer().wantsPayloads()) x.requestBody = body;
        return body;
    }

    /** A body without a declared length: read until the end, refusing (413) once it passes {@code max}. */
    private static byte[] readChunked(InputStream in, long max, long swallow) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        long read = 0;
        for (int r; (r = in.read(buffer)) >= 0; ) {
            read += r;
            if (read <= max) out.write(buffer, 0, r);
            else if (read > swallow) break;
        }
        if (read > max) throw new ServeException(413, "body is over the limit of " + max + " bytes");
        return out.toByteArray();
    }
}
