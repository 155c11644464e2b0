package dev.nn4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.serve.model.ModelSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binary tensor data extension over real HTTP: raw inputs after a JSON header, binary outputs on request, errors. */
class BinaryTensorDataTest {
    @TempDir
    static Path dir;
    static Path mlpFile;
    static InferenceServer server;
    static String infer;

    @BeforeAll
    static void start() throws IOException {
        mlpFile = TestModels.saveMlp(dir.resolve("mlp.safetensors"), 1);
        server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0),
                List.of(ModelSource.parse("mlp=" + mlpFile)));
        infer = server.url() + "/v2/models/mlp/infer";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A body of the extension: {@code json} then {@code tail}, with its header length. */
    record Body(byte[] bytes, int headerLength) {}

    static Body body(String json, byte[] tail) {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(tail);
        return new Body(out.toByteArray(), head.length);
    }

    static Http.Reply post(Body body, String headerLength, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(infer)).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (headerLength != null) b.header("Inference-Header-Content-Length", headerLength);
        if (contentType != null) b.header("Content-Type", contentType);
        return Http.send(b);
    }

    static Http.Reply post(Body body) {
        return post(body, Integer.toString(body.headerLength()), "application/octet-stream");
    }

    static String input(String shape, String datatype, long size) {
        return "{\"name\":\"input\",\"shape\":" + shape + ",\"datatype\":\"" + datatype + "\",\"parameters\":{\"binary_data_size\":" + size + "}}";
    }

    static byte[] fp32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The JSON header and the binary tail of a binary response. */
    record Split(JsonNode header, ByteBuffer tail) {}

    static Split split(Http.Reply r) {
        int length = Integer.parseInt(r.header("Inference-Header-Content-Length"));
        byte[] all = r.raw().body();
        try {
            JsonNode header = Http.JSON.readTree(Arrays.copyOf(all, length));
            return new Split(header, ByteBuffer.wrap(all, length, all.length - length).slice().order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void binaryFp32InputGivesTheSameAnswerAsJson() {
        float[] a = TestModels.example(4), b = TestModels.example(5);
        JsonNode json = Http.postJson(infer, Http.inferBody("j", a, b)).json();
        Http.Reply r = post(body("{\"id\":\"bin\",\"inputs\":[" + input("[2,1,8,8]", "FP32", 2 * 64 * 4) + "]}", fp32(concat(a, b))));
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.header("Content-Type"));
        assertNull(r.header("Inference-Header-Content-Length"));
        JsonNode got = r.json();
        assertEquals("bin", got.get("id").asText());
        assertArrayEquals(Http.output(json, "logits"), Http.output(got, "logits"));
        assertEquals(json.get("outputs").get(3).get("data"), got.get("outputs").get(3).get("data"));
    }

    @Test
    void otherBinaryDatatypesAreConvertedToFloat32() {
        float[] pixels = new float[64];
        for (int i = 0; i < 64; i++) pixels[i] = i % 5;
        float[] expected = Http.output(Http.postJson(infer, Http.inferBody(null, pixels)).json(), "logits");
        String[] types = {"INT8", "UINT8", "INT16", "UINT16", "FP16", "INT32", "UINT32", "INT64", "UINT64", "FP64"};
        int[] widths = {1, 1, 2, 2, 2, 4, 4, 8, 8, 8};
        Object[][] cases = new Object[types.length][];
        for (int t = 0; t < types.length; t++) {
            ByteBuffer b = ByteBuffer.allocate(64 * widths[t]).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : pixels) {
                switch (types[t]) {
                    case "INT8", "UINT8" -> b.put((byte) v);
                    case "INT16", "UINT16" -> b.putShort((short) v);
                    case "FP16" -> b.putShort(Float.floatToFloat16(v));
                    case "INT32", "UINT32" -> b.putInt((int) v);
                    case "INT64", "UINT64" -> b.putLong((long) v);
                    default -> b.putDouble(v);
                }
            }
            cases[t] = new Object[]{types[t], b};
        }
        for (Object[] c : cases) {
            byte[] raw = ((ByteBuffer) c[1]).array();
            Http.Reply r = post(body("{\"inputs\":[" + input("[1,64]", (String) c[0], raw.length) + "]}", raw));
            assertEquals(200, r.status(), c[0] + ": " + r.body());
            assertArrayEquals(expected, Http.output(r.json(), "logits"), (String) c[0]);
        }
    }

    @Test
    void binaryDataOutputReturnsEveryOutputAsRawBytesAfterTheHeader() {
        float[] a = TestModels.example(6), b = TestModels.example(7);
        JsonNode json = Http.postJson(infer, Http.inferBody(null, a, b)).json();
        Http.Reply r = post(body("{\"parameters\":{\"binary_data_output\":true},\"inputs\":["
                + input("[2,64]", "FP32", 512) + "]}", fp32(concat(a, b))));
        assertEquals(200, r.status(), r.body());
        assertEquals("application/octet-stream", r.header("Content-Type"));
        Split s = split(r);
        JsonNode outputs = s.header().get("outputs");
        assertEquals(4, outputs.size());
        for (JsonNode o : outputs) assertNull(o.get("data"), o.toString());
        assertEquals(24, outputs.get(0).get("parameters").get("binary_data_size").asInt());
        assertEquals(24, outputs.get(1).get("parameters").get("binary_data_size").asInt());
        assertEquals(16, outputs.get(2).get("parameters").get("binary_data_size").asInt());
        float[] logits = new float[6], probs = new float[6];
        for (int i = 0; i < 6; i++) logits[i] = s.tail().getFloat();
        for (int i = 0; i < 6; i++) probs[i] = s.tail().getFloat();
        assertArrayEquals(Http.output(json, "logits"), logits);
        assertArrayEquals(Http.output(json, "probabilities"), probs);
        JsonNode classes = json.get("outputs").get(2).get("data"), labels = json.get("outputs").get(3).get("data");
        for (int i = 0; i < 2; i++) assertEquals(classes.get(i).asLong(), s.tail().getLong());
        for (int i = 0; i < 2; i++) {
            byte[] label = new byte[s.tail().getInt()];
            s.tail().get(label);
            assertEquals(labels.get(i).asText(), new String(label, StandardCharsets.UTF_8));
        }
        assertEquals(0, s.tail().remaining());
        assertEquals(outputs.get(3).get("parameters").get("binary_data_size").asInt(), 2 * 4 + labels.get(0).asText().length() + labels.get(1).asText().length());
    }

    @Test
    void binaryDataOnOneRequestedOutputLeavesTheOthersInJson() {
        float[] a = TestModels.example(8);
        Http.Reply r = post(body("{\"inputs\":[" + input("[1,64]", "FP32", 256) + "],\"outputs\":[{\"name\":\"predicted_label\"},"
                + "{\"name\":\"logits\",\"parameters\":{\"binary_data\":true}}]}", fp32(a)));
        assertEquals(200, r.status(), r.body());
        Split s = split(r);
        JsonNode outputs = s.header().get("outputs");
        assertEquals("predicted_label", outputs.get(0).get("name").asText());
        assertTrue(outputs.get(0).get("data").isArray());
        assertEquals(12, outputs.get(1).get("parameters").get("binary_data_size").asInt());
        float[] expected = Http.output(Http.postJson(infer, Http.inferBody(null, a)).json(), "logits");
        for (float v : expected) assertEquals(v, s.tail().getFloat());
    }

    @Test
    void anOutputsOwnBinaryDataFalseOverridesBinaryDataOutput() {
        Http.Reply r = post(body("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[" + input("[1,64]", "FP32", 256)
                + "],\"outputs\":[{\"name\":\"predicted_class\",\"parameters\":{\"binary_data\":false}},{\"name\":\"logits\"}]}",
                fp32(TestModels.example(10))));
        assertEquals(200, r.status(), r.body());
        JsonNode outputs = split(r).header().get("outputs");
        assertTrue(outputs.get(0).get("data").isArray(), outputs.toString());
        assertEquals(12, outputs.get(1).get("parameters").get("binary_data_size").asInt());
    }

    @Test
    void malformedBinaryRequestsAre400Or415AndTheServerKeepsServing() {
        float[] a = TestModels.example(9);
        String ok = "{\"inputs\":[" + input("[1,64]", "FP32", 256) + "]}";
        Body good = body(ok, fp32(a));
        Object[][] cases = {
                {body("{\"inputs\":[" + input("[1,64]", "FP32", 252) + "]}", fp32(a)), null, "needs 256 bytes"},
                {body("{\"inputs\":[" + input("[1,64]", "FP32", 256) + "]}", Arrays.copyOf(fp32(a), 200)), null, "only 200 bytes"},
                {body(ok, concat2(fp32(a), new byte[3])), null, "3 bytes of binary data"},
                {good, "99999", "Inference-Header-Content-Length is 99999"},
                {good, "ten", "must be an integer"},
                {body("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,64],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":{\"binary_data_size\":256}}]}", fp32(a)),
                        null, "both \"data\" and the binary_data_size"},
                {body("{\"inputs\":[" + input("[1,64]", "FP32", -4) + "]}", fp32(a)), null, "non-negative integer"},
                {body("{\"parameters\":{\"binary_data_output\":\"yes\"},\"inputs\":[" + input("[1,64]", "FP32", 256) + "]}", fp32(a)), null, "must be true or false"},
                {body(ok, fp32(concat(new float[]{Float.NaN}, Arrays.copyOf(a, 63)))), null, "not a finite float32"},
                {body("{\"inputs\":[" + input("[1,64]", "BOOL", 64) + "]}", new byte[64]), null, "datatype BOOL is not supported"},
        };
        for (Object[] c : cases) {
            Body b = (Body) c[0];
            Http.Reply r = post(b, c[1] == null ? Integer.toString(b.headerLength()) : (String) c[1], "application/octet-stream");
            assertEquals(400, r.status(), r.body());
            assertTrue(r.error().contains((String) c[2]), c[2] + " not in: " + r.error());
        }
        // binary_data_size without the header: the JSON part's end is unknown
        Http.Reply noHeader = post(good, null, "application/json");
        assertEquals(400, noHeader.status(), noHeader.body());
        assertTrue(noHeader.error().contains("no Inference-Header-Content-Length header"), noHeader.error());
        assertEquals(415, post(good, Integer.toString(good.headerLength()), "text/plain").status());
        assertEquals(200, post(good).status());
    }

    private static byte[] concat2(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
