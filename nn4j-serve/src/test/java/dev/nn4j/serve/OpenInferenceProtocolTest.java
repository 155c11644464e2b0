package dev.nn4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.serve.model.ModelSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every endpoint of the Open Inference Protocol REST API and every error path, over real HTTP on loopback. */
class OpenInferenceProtocolTest {
    @TempDir
    static Path dir;
    static Path mlpFile;
    static InferenceServer server;
    static String url;

    @BeforeAll
    static void start() throws IOException {
        mlpFile = TestModels.saveMlp(dir.resolve("mlp.safetensors"), 1);
        Path versions = Files.createDirectories(dir.resolve("const"));
        TestModels.saveConstant(versions.resolve("1.safetensors"), 5, 0, 0);
        TestModels.saveConstant(versions.resolve("2.safetensors"), 0, 0, 5);
        TestModels.saveConstant(versions.resolve("10.safetensors"), 0, 5, 0);
        server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0)
                        .withLimits(1024, 64 * 1024, 8, 4, 10_000),
                List.of(ModelSource.parse("mlp=" + mlpFile), new ModelSource("const", versions)));
        url = server.url();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthEndpointsAnswer200WithEmptyBodies() {
        Http.Reply live = Http.get(url + "/v2/health/live"), ready = Http.get(url + "/v2/health/ready");
        assertEquals(200, live.status());
        assertEquals(200, ready.status());
        assertEquals("", live.body());
    }

    @Test
    void serverMetadataNamesServerVersionAndExtensions() {
        JsonNode meta = Http.get(url + "/v2").json();
        assertEquals("nn4j", meta.get("name").asText());
        assertEquals("0.1.0", meta.get("version").asText());
        assertEquals("[\"model_repository\",\"binary_tensor_data\"]", meta.get("extensions").toString());
    }

    @Test
    void modelMetadataDescribesInputsAndOutputsWithBatchDimensionMinusOne() {
        Http.Reply r = Http.get(url + "/v2/models/mlp");
        assertEquals(200, r.status());
        JsonNode meta = r.json();
        assertEquals("mlp", meta.get("name").asText());
        assertEquals("[\"1\"]", meta.get("versions").toString());
        JsonNode input = meta.get("inputs").get(0);
        assertEquals("input", input.get("name").asText());
        assertEquals("FP32", input.get("datatype").asText());
        assertEquals("[-1,1,8,8]", input.get("shape").toString());
        JsonNode outputs = meta.get("outputs");
        assertEquals("logits", outputs.get(0).get("name").asText());
        assertEquals("[-1,3]", outputs.get(1).get("shape").toString());
        assertEquals("INT64", outputs.get(2).get("datatype").asText());
        assertEquals("cat,dog,bird", meta.get("parameters").get("classes").asText());
    }

    @Test
    void versionsOfADirectoryAreNumberedByFileNameAndTheLatestIsTheDefault() {
        assertEquals("[\"1\",\"2\",\"10\"]", Http.get(url + "/v2/models/const").json().get("versions").toString());
        JsonNode latest = Http.postJson(url + "/v2/models/const/infer", Http.inferBody(null, TestModels.example(0))).json();
        assertEquals("10", latest.get("model_version").asText());
        assertArrayEquals(new float[]{0, 5, 0}, Http.output(latest, "logits"));
        JsonNode v2 = Http.postJson(url + "/v2/models/const/versions/2/infer", Http.inferBody(null, TestModels.example(0))).json();
        assertEquals("2", v2.get("model_version").asText());
        assertArrayEquals(new float[]{0, 0, 5}, Http.output(v2, "logits"));
        assertEquals(200, Http.get(url + "/v2/models/const/versions/1").status());
        assertEquals(200, Http.get(url + "/v2/models/const/versions/1/ready").status());
        assertEquals(200, Http.get(url + "/v2/models/const/ready").status());
    }

    @Test
    void inferReturnsLogitsProbabilitiesClassesAndEchoesTheId() {
        float[] a = TestModels.example(1), b = TestModels.example(2);
        Http.Reply r = Http.postJson(url + "/v2/models/mlp/infer", Http.inferBody("req-7", a, b));
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals("mlp", json.get("model_name").asText());
        assertEquals("1", json.get("model_version").asText());
        assertEquals("req-7", json.get("id").asText());
        float[] logits = Http.output(json, "logits"), probs = Http.output(json, "probabilities");
        float[] directA = TestModels.directLogits(mlpFile, a), directB = TestModels.directLogits(mlpFile, b);
        for (int j = 0; j < 3; j++) {
            assertEquals(directA[j], logits[j], 1e-5f);
            assertEquals(directB[j], logits[3 + j], 1e-5f);
        }
        assertEquals(1.0, probs[0] + probs[1] + probs[2], 1e-6);
        JsonNode classes = json.get("outputs").get(2);
        assertEquals("predicted_class", classes.get("name").asText());
        assertEquals("[2]", classes.get("shape").toString());
        int expected = argmax(directA);
        assertEquals(expected, classes.get("data").get(0).asInt());
        assertEquals(List.of("cat", "dog", "bird").get(expected), json.get("outputs").get(3).get("data").get(0).asText());
    }

    @Test
    void nestedDataAndOtherDatatypesGiveTheSameAnswerAsFlatFp32() {
        float[] a = TestModels.example(3);
        float[] flat = Http.output(Http.postJson(url + "/v2/models/mlp/infer", Http.inferBody(null, a)).json(), "logits");
        StringBuilder nested = new StringBuilder("[[[");
        for (int y = 0; y < 8; y++) {
            nested.append(y > 0 ? ",[" : "[");
            for (int x = 0; x < 8; x++) nested.append(x > 0 ? "," : "").append((double) a[y * 8 + x]);
            nested.append(']');
        }
        nested.append("]]]");
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,8,8],\"datatype\":\"FP64\",\"data\":" + nested + "}]}";
        Http.Reply r = Http.postJson(url + "/v2/models/mlp/infer", body);
        assertEquals(200, r.status(), r.body());
        assertArrayEquals(flat, Http.output(r.json(), "logits"));
        // INT32 pixels, flattened shape [1, 64]
        StringBuilder ints = new StringBuilder();
        for (int j = 0; j < 64; j++) ints.append(j > 0 ? "," : "").append(j % 2);
        Http.Reply i = Http.postJson(url + "/v2/models/mlp/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,64],\"datatype\":\"INT32\",\"data\":[" + ints + "]}]}");
        assertEquals(200, i.status(), i.body());
        float[] alternating = new float[64];
        for (int j = 0; j < 64; j++) alternating[j] = j % 2;
        float[] direct = TestModels.directLogits(mlpFile, alternating);
        float[] got = Http.output(i.json(), "logits");
        for (int j = 0; j < 3; j++) assertEquals(direct[j], got[j], 1e-5f);
    }

    @Test
    void requestedOutputsAloneAreReturned() {
        String body = Http.inferBody(null, TestModels.example(0)).replaceFirst("\\}$", ",\"outputs\":[{\"name\":\"predicted_label\"}],\"parameters\":{\"x\":1}}");
        JsonNode json = Http.postJson(url + "/v2/models/mlp/infer", body).json();
        assertEquals(1, json.get("outputs").size());
        assertEquals("predicted_label", json.get("outputs").get(0).get("name").asText());
        assertNull(json.get("id"));
    }

    @Test
    void imagePredictAnswersClassAndTopK() throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) image.getRaster().setSample(x, y, 0, (x * 16 + y * 3) % 256);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        Http.Reply r = Http.post(url + "/v1/models/mlp/predict?top=2", "image/png", png.toByteArray());
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals(2, json.get("top").size());
        assertEquals(json.get("class").asText(), json.get("top").get(0).get("class").asText());
        assertTrue(json.get("top").get(0).get("probability").asDouble() >= json.get("top").get(1).get("probability").asDouble());
        // the same pixels through /v2 give the same class: 16×16 area-averaged to 8×8
        float[] pixels = new float[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                float sum = 0;
                for (int dy = 0; dy < 2; dy++) for (int dx = 0; dx < 2; dx++) sum += image.getRaster().getSample(2 * x + dx, 2 * y + dy, 0) / 255f;
                pixels[y * 8 + x] = sum / 4;
            }
        }
        assertEquals(argmax(TestModels.directLogits(mlpFile, pixels)), json.get("index").asInt());
        assertEquals(3, Http.post(url + "/v1/models/mlp/predict", "image/png", png.toByteArray()).json().get("top").size());
    }

    @Test
    void unknownModelsVersionsAndRoutesAre404() {
        Http.Reply model = Http.postJson(url + "/v2/models/nope/infer", Http.inferBody(null, TestModels.example(0)));
        assertEquals(404, model.status());
        assertTrue(model.error().contains("unknown model 'nope'"), model.error());
        Http.Reply version = Http.get(url + "/v2/models/const/versions/7");
        assertEquals(404, version.status());
        assertTrue(version.error().contains("versions: 1, 2, 10"), version.error());
        assertEquals(404, Http.get(url + "/v2/models/nope/ready").status());
        assertEquals(404, Http.get(url + "/v3/anything").status());
        assertEquals(404, Http.get(url + "/metrics").status()); // no metrics endpoint configured
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Http.Reply r = Http.get(url + "/v2/models/mlp/infer");
        assertEquals(405, r.status());
        assertEquals("POST", r.header("Allow"));
    }

    @Test
    void badTensorsAre400WithAMessageNamingTheProblem() {
        String infer = url + "/v2/models/mlp/infer";
        assertBad(infer, "{\"inputs\": [", "malformed JSON");
        assertBad(infer, "[1,2]", "JSON object");
        assertBad(infer, "{\"inputs\":[]}", "exactly one tensor");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replace("FP32", "BYTES"), "datatype BYTES is not supported");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replace("[1,1,8,8]", "[1,1,4,16]"), "does not fit model mlp");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replace("[1,1,8,8]", "[2,1,8,8]"), "data holds 64 values but shape [2, 1, 8, 8] needs 128");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replace("\"data\":[", "\"data\":[NaN,"), "malformed JSON");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replaceFirst("\"data\":\\[[^,]+", "\"data\":[1e39"), "not a finite float32");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replaceFirst("\"data\":\\[[^,]+", "\"data\":[\"x\""), "not a number");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replace("FP32", "INT8").replaceFirst("\"data\":\\[[^,]+", "\"data\":[0.5"), "not an integer");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replace("\"name\":\"input\"", "\"name\":\"x\""), "unknown input 'x'");
        assertBad(infer, Http.inferBody(7 + "", TestModels.example(0)).replace("\"id\":\"7\"", "\"id\":7"), "\"id\" must be a string");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replaceFirst("\\}$", ",\"outputs\":[{\"name\":\"z\"}]}"), "unknown output 'z'");
        // limits: 8 examples and rank 4 per request
        float[][] nine = new float[9][];
        for (int i = 0; i < 9; i++) nine[i] = TestModels.example(i);
        assertBad(infer, Http.inferBody(null, nine), "batch size 9 is over this server's limit of 8");
        assertBad(infer, Http.inferBody(null, TestModels.example(0)).replace("[1,1,8,8]", "[1,1,1,8,8]"), "rank 5, over this server's limit of 4");
        // images
        assertEquals(400, Http.post(url + "/v1/models/mlp/predict", "image/png", new byte[]{1, 2, 3}).status());
        assertEquals(400, Http.post(url + "/v1/models/mlp/predict?top=9", "image/png", new byte[]{1, 2, 3}).status());
    }

    @Test
    void bodiesOverTheLimitAre413AndWrongMediaTypes415() {
        Http.Reply big = Http.postJson(url + "/v2/models/mlp/infer", "{\"pad\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(413, big.status());
        assertTrue(big.error().contains("over the limit of 65536 bytes"), big.error());
        Http.Reply text = Http.post(url + "/v2/models/mlp/infer", "text/plain", Http.inferBody(null, TestModels.example(0)).getBytes());
        assertEquals(415, text.status());
        assertEquals(415, Http.post(url + "/v1/models/mlp/predict", "text/plain", new byte[]{1}).status());
        assertEquals(200, Http.post(url + "/v2/models/mlp/infer", "application/json; charset=utf-8", Http.inferBody(null, TestModels.example(0)).getBytes()).status());
    }

    private static void assertBad(String url, String body, String message) {
        Http.Reply r = Http.postJson(url, body);
        assertEquals(400, r.status(), body.length() > 200 ? body.substring(0, 200) : body);
        assertEquals("application/json", r.header("Content-Type"));
        assertTrue(r.error().contains(message), "'" + r.error() + "' should contain '" + message + "'");
        assertFalse(r.error().isBlank());
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
