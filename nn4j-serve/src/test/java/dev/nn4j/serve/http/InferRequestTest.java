package dev.nn4j.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.serve.ServeException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming infer-request reader against a tree reader (the server's previous implementation, kept here as the
 * reference): for valid bodies the same floats, for broken ones the same first error, whatever the datatype, nesting,
 * field order or position of the damage.
 */
class InferRequestTest {
    /** A model taking [B, 1, 2, 2] or [B, 4]. */
    private static final TensorInput.Target SMALL = new TensorInput.Target("m", new int[]{1, 2, 2}, 4);
    /** A model taking 28x28 images, [B, 1, 28, 28] or [B, 784]. */
    private static final TensorInput.Target IMAGE = new TensorInput.Target("mlp", new int[]{1, 28, 28}, 784);
    private static final int MAX_ROWS = 64, MAX_RANK = 4;
    private static final List<String> DATATYPES = List.of("FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64",
            "UINT8", "UINT16", "UINT32", "UINT64");

    /** The previous reader: the whole body as a Jackson tree, then the same checks. */
    private static InferRequest tree(String body, TensorInput.Target target) {
        JsonNode doc;
        try {
            doc = InferRequest.MAPPER.readTree(body.getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ServeException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ServeException(400, "cannot read the body: " + e.getMessage());
        }
        if (doc == null || !doc.isObject()) throw new ServeException(400, "the body must be a JSON object with \"inputs\"");
        JsonNode idNode = doc.get("id");
        if (idNode != null && !idNode.isTextual()) throw new ServeException(400, "\"id\" must be a string");
        JsonNode params = doc.get("parameters");
        if (params != null && !params.isObject()) throw new ServeException(400, "\"parameters\" must be an object");
        JsonNode inputs = doc.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
            throw new ServeException(400, "\"inputs\" must be an array of exactly one tensor named 'input'");
        }
        JsonNode outputs = doc.get("outputs");
        List<String> wanted = new ArrayList<>();
        if (outputs == null) wanted = OipHandler.OUTPUTS;
        else {
            if (!outputs.isArray()) throw new ServeException(400, "\"outputs\" must be an array of {\"name\": …}");
            for (JsonNode o : outputs) {
                String name = o.path("name").asText(null);
                if (name == null || !OipHandler.OUTPUTS.contains(name)) {
                    throw new ServeException(400, "unknown output " + (name == null ? o.toString() : "'" + name + "'") + "; outputs: " + String.join(", ", OipHandler.OUTPUTS));
                }
                if (!wanted.contains(name)) wanted.add(name);
            }
            if (wanted.isEmpty()) wanted = OipHandler.OUTPUTS;
        }
        TensorInput.Rows rows = TensorInput.read(inputs.get(0), target, MAX_ROWS, MAX_RANK);
        return new InferRequest(idNode == null ? null : idNode.asText(), wanted, java.util.Set.of(), rows);
    }

    private static InferRequest stream(String body, TensorInput.Target target) {
        return InferRequest.parse(body.getBytes(StandardCharsets.UTF_8), target, MAX_ROWS, MAX_RANK);
    }

    /** Both readers agree: same values, rows, id and outputs, or the same status and message. */
    private static void assertSame(String body, TensorInput.Target target) {
        InferRequest expected = null, actual = null;
        ServeException expectedError = null, actualError = null;
        try {
            expected = tree(body, target);
        } catch (ServeException e) {
            expectedError = e;
        }
        try {
            actual = stream(body, target);
        } catch (ServeException e) {
            actualError = e;
        }
        String what = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        if (expectedError != null) {
            assertTrue(actualError != null, "streaming accepted what the tree reader refused (" + expectedError.getMessage() + "): " + what);
            assertEquals(expectedError.getMessage(), actualError.getMessage(), what);
            assertEquals(expectedError.status(), actualError.status(), what);
        } else {
            if (actualError != null) throw new AssertionError("streaming refused what the tree reader accepted: " + actualError.getMessage() + " in " + what);
            assertEquals(expected.id(), actual.id(), what);
            assertEquals(expected.outputs(), actual.outputs(), what);
            assertEquals(expected.rows().rows(), actual.rows().rows(), what);
            assertArrayEquals(expected.rows().values(), actual.rows().values(), what);
        }
    }

    private static String body(String shape, String datatype, String data) {
        return "{\"id\":\"r1\",\"inputs\":[{\"name\":\"input\",\"shape\":" + shape + ",\"datatype\":\"" + datatype + "\",\"data\":" + data + "}]}";
    }

    @Test
    void flatAndNestedDataGiveTheSameFloatsAsTheTreeReader() {
        String flat = "[0.5,-1.25,3,1e-3,2.5E2,-0.0,7,0.1]";
        String nested = "[[[[0.5,-1.25],[3,1e-3]]],[[[2.5E2,-0.0],[7,0.1]]]]";
        InferRequest f = stream(body("[2,4]", "FP32", flat), SMALL);
        InferRequest n = stream(body("[2,1,2,2]", "FP32", nested), SMALL);
        float[] expected = {0.5f, -1.25f, 3, 1e-3f, 250, -0.0f, 7, 0.1f};
        assertArrayEquals(expected, f.rows().values());
        assertArrayEquals(expected, n.rows().values());
        assertEquals(2, n.rows().rows());
        assertEquals("r1", n.id());
        assertSame(body("[2,4]", "FP32", flat), SMALL);
        assertSame(body("[2,1,2,2]", "FP32", nested), SMALL);
        assertSame(body("[2,1,2,2]", "FP32", flat), SMALL); // flat data under a nested shape
        assertSame(body("[2,4]", "FP32", "[[0.5,-1.25,3,1e-3],[2.5E2,-0.0,7,0.1]]"), SMALL);
    }

    @Test
    void everyDatatypeReadsTheSameThroughTheStreamingPath() {
        String[] data = {"[0,1,2,3]", "[-128,127,0,1]", "[-129,0,0,0]", "[0,255,256,1]", "[0,65535,65536,-1]",
                "[2147483647,-2147483648,4294967295,4294967296]", "[-2147483649,2147483648,-2147483647,16777217]", "[-2147483649,0,0,0]", "[16777217,0,0,-16777217]", "[9223372036854775807,-9223372036854775808,0,1]",
                "[18446744073709551615,18446744073709551616,0,0]", "[0.5,1,2,3]", "[1.0,2,3,4]", "[1e2,0,0,0]",
                "[-1,0,0,0]", "[\"1\",0,0,0]", "[true,0,0,0]", "[null,0,0,0]", "[[1],0,0,0]", "[{},0,0,0]",
                "[1e39,0,0,0]", "[-1e39,0,0,0]", "[1e400,0,0,0]", "[3.4028235e38,1.4e-45,1e-50,0]",
                "[" + "1".repeat(40) + ",0,0,0]", "[" + "1".repeat(400) + ",0,0,0]", "[0.1,0.2,0.3,0.4]"};
        for (String type : DATATYPES) {
            for (String d : data) {
                assertSame(body("[1,4]", type, d), SMALL);
                String nested = "[[[" + d.substring(1, d.length() - 1).replaceFirst("^([^,]+,[^,]+),", "$1],[") + "]]]";
                assertSame(body("[1,1,2,2]", type, nested), SMALL);
            }
        }
        assertArrayEquals(new float[]{-128, 127, 0, 1}, stream(body("[1,4]", "INT8", "[-128,127,0,1]"), SMALL).rows().values());
        assertArrayEquals(new float[]{1.8446744e19f, 0, 0, 0}, stream(body("[1,4]", "UINT64", "[18446744073709551615,0,0,0]"), SMALL).rows().values());
        ServeException range = assertThrows(ServeException.class, () -> stream(body("[1,4]", "UINT8", "[0,255,256,1]"), SMALL));
        assertEquals("data[2] = 256 is out of range for UINT8", range.getMessage());
        ServeException integral = assertThrows(ServeException.class, () -> stream(body("[1,4]", "INT32", "[1.0,2,3,4]"), SMALL));
        assertEquals("data[0] = 1.0 is not an integer, as datatype INT32 requires", integral.getMessage());
    }

    @Test
    void bigBatchesOfImagesMatchTheTreeReader() {
        Random random = new Random(7);
        int rows = MAX_ROWS;
        StringBuilder flat = new StringBuilder("[");
        StringBuilder nested = new StringBuilder("[");
        float[] expected = new float[rows * 784];
        for (int r = 0; r < rows; r++) {
            nested.append(r == 0 ? "[[" : ",[[");
            for (int i = 0; i < 28; i++) {
                nested.append(i == 0 ? "[" : ",[");
                for (int j = 0; j < 28; j++) {
                    float v = random.nextFloat() * 2 - 1;
                    String text = random.nextBoolean() ? Float.toString(v) : String.format(Locale.ROOT, "%.6e", v);
                    expected[r * 784 + i * 28 + j] = (float) Double.parseDouble(text);
                    flat.append(flat.length() == 1 ? "" : ",").append(text);
                    nested.append(j == 0 ? "" : ",").append(text);
                }
                nested.append(']');
            }
            nested.append("]]");
        }
        flat.append(']');
        nested.append(']');
        InferRequest f = stream(body("[" + rows + ",784]", "FP32", flat.toString()), IMAGE);
        InferRequest n = stream(body("[" + rows + ",1,28,28]", "FP32", nested.toString()), IMAGE);
        assertArrayEquals(expected, f.rows().values());
        assertArrayEquals(expected, n.rows().values());
        assertSame(body("[" + rows + ",784]", "FP32", flat.toString()), IMAGE);
        assertSame(body("[" + rows + ",1,28,28]", "FP32", nested.toString()), IMAGE);
        assertSame(body("[" + (rows - 1) + ",784]", "FP32", flat.toString()), IMAGE); // one row too many
        assertSame(body("[" + rows + ",1,28,27]", "FP32", nested.toString()), IMAGE);
    }

    /**
     * Bodies as clients write them, varied at random (field order, whitespace, extra fields, number spellings, flat or
     * nested, damaged or not): the byte-level data reader ({@link JsonNumbers}) takes most of them, and every answer
     * is still the tree reader's.
     */
    @Test
    void randomlyWrittenBodiesMatchTheTreeReaderOnTheFastPathAndOff() {
        Random random = new Random(5);
        String[] spaces = {"", "", " ", "\n  ", "\t", " \r\n"};
        int fast = 0, total = 3000;
        for (int k = 0; k < total; k++) {
            boolean nested = random.nextBoolean();
            String type = random.nextInt(4) == 0 ? DATATYPES.get(random.nextInt(DATATYPES.size())) : "FP32";
            StringBuilder data = new StringBuilder();
            for (int v = 0; v < 4; v++) {
                String ws = spaces[random.nextInt(spaces.length)];
                if (nested && v % 2 == 0) data.append(v == 0 ? "[" : ",[");
                else if (v > 0) data.append(',');
                data.append(ws).append(switch (random.nextInt(8)) {
                    case 0 -> Integer.toString(random.nextInt(600) - 300);
                    case 1 -> String.format(Locale.ROOT, "%.4f", random.nextDouble());
                    case 2 -> String.format(Locale.ROOT, "%.3e", (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 15));
                    case 3 -> Float.toString((float) random.nextGaussian());
                    case 4 -> random.nextInt(5) == 0 ? Double.toString(random.nextGaussian()) : Float.toString((float) (random.nextGaussian() * 1e-7));
                    case 5 -> "-0";
                    case 6 -> random.nextInt(50) == 0 ? "\"x\"" : "0";
                    default -> random.nextInt(10) == 0 ? "1" + "0".repeat(random.nextInt(45)) : "1e" + (random.nextInt(50) - 25);
                }).append(ws);
                if (nested && v % 2 == 1) data.append(']');
            }
            String dataText = nested ? "[[[" + data + "]]]" : "[" + data + "]";
            String shape = nested ? "[1,1,2,2]" : random.nextInt(10) == 0 ? "[1,5]" : "[1,4]";
            List<String> fields = new ArrayList<>(List.of("\"name\":\"input\"", "\"shape\":" + shape, "\"datatype\":\"" + type + "\"",
                    "\"data\":" + dataText));
            if (random.nextInt(4) == 0) fields.add("\"parameters\":{\"data\":[1],\"content_type\":\"x\"}");
            if (random.nextInt(3) == 0) java.util.Collections.shuffle(fields, random);
            String ws = spaces[random.nextInt(spaces.length)];
            List<String> top = new ArrayList<>(List.of("\"inputs\":" + ws + "[" + ws + "{" + String.join("," + ws, fields) + "}" + ws + "]"));
            if (random.nextBoolean()) top.add("\"id\":\"r-" + k + " \\\"data\\\":[9]\"");
            if (random.nextInt(3) == 0) top.add("\"outputs\":[{\"name\":\"probabilities\"}]");
            java.util.Collections.shuffle(top, random);
            String body = "{" + ws + String.join("," + ws, top) + ws + "}" + (random.nextInt(20) == 0 ? " x" : ws);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            JsonNumbers numbers = JsonNumbers.find(bytes, bytes.length);
            if (numbers != null && numbers.read(nested ? new int[]{1, 1, 2, 2} : new int[]{1, 4}, null, 4) != null) fast++;
            assertSame(body, SMALL);
        }
        assertTrue(fast > total / 2, "only " + fast + " of " + total + " bodies took the fast path");
    }

    /** Which bodies the byte-level reader takes whole: any field order, but one shape and one datatype. */
    @Test
    void theByteLevelPathTakesAnyFieldOrderAndLeavesRepeatsAndProblemsToTheFullParse() {
        List<String> taken = List.of(
                body("[1,4]", "FP32", "[1,2,3,4]"),
                "{\"inputs\":[{\"data\":[1,2,3,4],\"shape\":[1,4],\"datatype\":\"FP32\",\"name\":\"input\"}]}",
                "{\"inputs\":[{\"datatype\":\"UINT8\",\"data\":[[[[1,2],[3,4]]]],\"name\":\"input\",\"shape\":[1,1,2,2]}],\"id\":\"x\"}");
        for (String b : taken) {
            InferRequest fast = InferRequest.parseFast(b.getBytes(StandardCharsets.UTF_8), SMALL, MAX_ROWS, MAX_RANK);
            assertTrue(fast != null, b);
            assertArrayEquals(new float[]{1, 2, 3, 4}, fast.rows().values(), b);
            assertSame(b, SMALL);
        }
        List<String> left = List.of(
                "{\"inputs\":[{\"shape\":[1,4],\"data\":[1,2,3,4],\"shape\":[1,4],\"datatype\":\"FP32\",\"name\":\"input\"}]}",
                "{\"inputs\":[{\"datatype\":\"FP32\",\"data\":[1,2,3,4],\"datatype\":\"FP64\",\"shape\":[1,4],\"name\":\"input\"}]}",
                body("[1,5]", "FP32", "[1,2,3,4]"),
                body("[1,4]", "INT8", "[1,2,3,400]"),
                body("[1,4]", "BYTES", "[1,2,3,4]"),
                body("[1,4]", "FP32", "[1,2,3,1e39]"),
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}");
        for (String b : left) {
            assertTrue(InferRequest.parseFast(b.getBytes(StandardCharsets.UTF_8), SMALL, MAX_ROWS, MAX_RANK) == null, b);
            assertSame(b, SMALL);
        }
    }

    @Test
    void theFirstProblemIsTheOneTheTreeReaderReports() {
        List<String> bodies = List.of(
                // nested shape errors found only at the end of an array win over value errors inside it
                body("[1,1,2,2]", "FP32", "[[[\"x\",1,2],[3,4]]]"),
                body("[1,1,2,2]", "FP32", "[[[1,2],[3,\"x\"]],[[0,0],[0,0]]]"),
                body("[1,1,2,2]", "FP32", "[[[1,\"x\"],[3,4,5]]]"),
                body("[1,1,2,2]", "FP32", "[[[1,2],5]]"),
                body("[1,1,2,2]", "FP32", "[[[1,2],[3,[4]]]]"),
                body("[1,1,2,2]", "FP32", "[[[1,2],[3,4]],[[1,2],[3,4]]]"),
                body("[1,1,2,2]", "FP32", "[[[1,2],{\"a\":[1]}]]"),
                body("[1,1,2,2]", "FP32", "[[]]"),
                body("[1,4]", "FP32", "[]"),
                body("[1,4]", "FP32", "[1,2,3,\"x\",5]"),
                body("[1,4]", "FP32", "[1,[2,[3]],3,4]"),
                body("[1,4]", "FP32", "[1,{\"a\":1},3,4]"),
                // problems outside the data come first, whatever the field order
                "{\"inputs\":[{\"data\":[\"x\"],\"name\":\"y\",\"shape\":[1,4],\"datatype\":\"FP32\"}]}",
                "{\"inputs\":[{\"data\":[1,2,3,4],\"shape\":[1,4],\"datatype\":\"FP32\",\"name\":\"input\"}]}",
                "{\"inputs\":[{\"datatype\":\"FP32\",\"data\":[[1,2,3,4]],\"shape\":[1,4],\"name\":\"input\"}]}",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1e39,0,0,0]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,5],\"datatype\":\"FP32\",\"data\":[\"x\"]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"BYTES\",\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[65,4],\"datatype\":\"FP32\",\"data\":[1]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,1,2,2],\"datatype\":\"FP32\",\"data\":[1]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":{\"a\":1}}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":7,\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[0,4],\"datatype\":\"FP32\",\"data\":[]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1.5,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":7,\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[[1,2,3,4]]}",
                "{\"inputs\":[7]}",
                "{\"inputs\":[{\"name\":\"x\"},{\"name\":\"y\"}]}",
                "{\"inputs\":{}}",
                "{\"inputs\":null}",
                "{}",
                "[1,2]",
                "\"x\"",
                "",
                "   ",
                "null",
                "{\"id\":7,\"inputs\":[{\"name\":\"x\"}]}",
                "{\"id\":null,\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"parameters\":[],\"inputs\":[7]}",
                "{\"inputs\":[{\"name\":\"x\"}],\"outputs\":[{\"name\":\"z\"}]}",
                "{\"outputs\":{\"name\":\"z\"},\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"outputs\":[{}],\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"outputs\":[{\"name\":\"logits\"},{\"name\":\"logits\"},{\"name\":\"predicted_class\"}],\"parameters\":{\"a\":[1,{}]},\"x\":[[{}]],\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4],\"parameters\":{\"b\":1}}]}",
                "{\"outputs\":[],\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                // repeated keys: the last one counts, as in a tree
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[\"x\"],\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[7],\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}],\"inputs\":5}",
                // what a tree reader ignores: anything after the object
                body("[1,4]", "FP32", "[1,2,3,4]") + " garbage",
                body("[1,4]", "FP32", "[1,2,3,4]") + "}");
        for (String b : bodies) assertSame(b, SMALL);
    }

    @Test
    void malformedJsonAnywhereIsReportedAsMalformedWhateverElseIsWrong() {
        String good = body("[1,1,2,2]", "FP32", "[[[0.5,1],[2,3]]]");
        String wrong = "{\"id\":1,\"inputs\":[{\"name\":\"y\",\"shape\":[1,1,2,2],\"datatype\":\"INT8\",\"data\":[[[0.5,\"x\"],[2]]]}],\"outputs\":[{\"name\":\"q\"}]}";
        for (String b : List.of(good, wrong)) {
            for (int cut = 0; cut < b.length(); cut++) assertSame(b.substring(0, cut), SMALL);
            for (int at = 0; at < b.length(); at++) {
                for (String c : List.of("}", "]", ",", "x", "\"", "NaN", "[", "{")) {
                    assertSame(b.substring(0, at) + c + b.substring(at + 1), SMALL);
                }
            }
        }
        ServeException truncated = assertThrows(ServeException.class, () -> stream(good.substring(0, good.indexOf("2,3")), SMALL));
        assertTrue(truncated.getMessage().startsWith("malformed JSON"), truncated.getMessage());
        ServeException afterData = assertThrows(ServeException.class,
                () -> stream(wrong.replace("\"outputs\":[", "\"outputs\":[,"), SMALL));
        assertTrue(afterData.getMessage().startsWith("malformed JSON"), afterData.getMessage());
        ServeException nan = assertThrows(ServeException.class, () -> stream(good.replace("0.5", "NaN"), SMALL));
        assertTrue(nan.getMessage().startsWith("malformed JSON"), nan.getMessage());
    }
}
