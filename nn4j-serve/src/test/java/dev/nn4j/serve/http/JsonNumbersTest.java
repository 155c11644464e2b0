package dev.nn4j.serve.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte-level reader of an infer request's data: which bodies it takes, what it reads, and what it leaves to the full
 * parser. That its answers equal the full parser's is checked through {@link InferRequest} in {@code InferRequestTest}.
 */
class JsonNumbersTest {
    private static final int[] SHAPE = {1, 4};
    private static final float[] VALUES = {0.5f, -1.25f, 3, 1e-3f};

    private static JsonNumbers find(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return JsonNumbers.find(bytes, bytes.length);
    }

    private static String request(String data) {
        return "{\"id\":\"a\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":" + data + "}]}";
    }

    @Test
    void commonRequestsAreReadFromTheBytes() {
        List<String> bodies = List.of(
                request("[0.5,-1.25,3,1e-3]"),
                request("[[0.5,-1.25,3,1e-3]]"),
                "{\n  \"inputs\" : [ {\n    \"data\" : [ 0.5 , -1.25 ,\n 3 ,\t1E-3 ] ,\n    \"name\" : \"input\",\n    \"shape\" : [1, 4],"
                        + " \"datatype\" : \"FP32\" } ] ,\n  \"id\" : \"x\" }\n",
                "{\"parameters\":{\"data\":[\"x\"],\"inputs\":7},\"outputs\":[{\"name\":\"logits\",\"parameters\":{\"binary_data\":false}}],"
                        + "\"inputs\":[{\"name\":\"input\",\"parameters\":{\"data\":1},\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[0.5,-1.25,3,0.001]}]}",
                "{\"id\":\"a \\\"data\\\":[1] \\\\\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[0.5,-1.25,3,1e-3]}]}");
        for (String body : bodies) {
            JsonNumbers fast = find(body);
            assertNotNull(fast, body);
            assertFalse(fast.consumed());
            assertArrayEquals(VALUES, fast.read(SHAPE, null, 4), body);
            assertTrue(fast.consumed());
            String skeleton = new String(fast.skeleton(), StandardCharsets.UTF_8);
            assertTrue(skeleton.matches("(?s).*\"data\" ?: ?\\[\\].*"), skeleton);
            assertEquals(body.replaceFirst("(\"data\" ?: ?)\\[[^\"]*?\\](\\s*[,}])", "$1[]$2"), skeleton);
        }
    }

    @Test
    void nestedDataIsReadWhenItFollowsTheShape() {
        JsonNumbers fast = find(request("[[[[0.5,-1.25],[3,1e-3]]]]"));
        assertNotNull(fast);
        assertArrayEquals(VALUES, fast.read(new int[]{1, 1, 2, 2}, null, 4));
        assertNull(find(request("[[[[0.5,-1.25],[3,1e-3]]]]")).read(new int[]{1, 2, 2, 1}, null, 4));
        assertNull(find(request("[[[0.5,-1.25],[3,1e-3]]]")).read(new int[]{1, 1, 2, 2}, null, 4));
        assertNull(find(request("[[[0.5,-1.25],[3,1e-3]]]")).read(new int[]{1, 4}, null, 4));
        assertNull(find(request("[[0.5,-1.25],[3,1e-3]]")).read(SHAPE, null, 4));
        // flat data under any shape of the same count
        assertArrayEquals(VALUES, find(request("[0.5,-1.25,3,1e-3]")).read(new int[]{1, 1, 2, 2}, null, 4));
        assertNull(find(request("[0.5,-1.25,3]")).read(SHAPE, null, 4));
        assertNull(find(request("[0.5,-1.25,3,1e-3,5]")).read(SHAPE, null, 4));
    }

    @Test
    void integerDatatypesTakeIntegersInRangeOnly() {
        double[] uint8 = {0, 255};
        assertArrayEquals(new float[]{0, 255, 7, 0}, find(request("[0,255,7,-0]")).read(SHAPE, uint8, 4));
        // the integer -0 is 0, the float -0.0 keeps its sign, as Jackson reads them
        assertArrayEquals(new float[]{0, -0f, 0, 0}, find(request("[-0,-0.0,0,0]")).read(SHAPE, null, 4));
        assertNull(find(request("[0,256,7,1]")).read(SHAPE, uint8, 4));
        assertNull(find(request("[0,-1,7,1]")).read(SHAPE, uint8, 4));
        assertNull(find(request("[0,1.0,7,1]")).read(SHAPE, uint8, 4));
        assertNull(find(request("[0,1e1,7,1]")).read(SHAPE, uint8, 4));
        // integers float32 cannot hold exactly are left to the full parser: -2147483649 would round onto INT32's minimum
        double[] int32 = {Integer.MIN_VALUE, Integer.MAX_VALUE};
        assertNull(find(request("[-2147483649,0,0,0]")).read(SHAPE, int32, 4));
        assertNull(find(request("[16777216,0,0,0]")).read(SHAPE, int32, 4));
        assertArrayEquals(new float[]{16777215, -16777215, 0, 0}, find(request("[16777215,-16777215,0,0]")).read(SHAPE, int32, 4));
    }

    /** The one value of {@code [text]} read on the fast path, or NaN when it leaves it. */
    private static float single(String text) {
        JsonNumbers fast = find("{\"inputs\":[{\"data\":[" + text + "]}]}");
        if (fast == null) return Float.NaN;
        return fast.read(new int[]{1}, null, 1)[0];
    }

    @Test
    void shortDecimalsReadExactlyAsParseDoubleThenFloat32() {
        Random random = new Random(11);
        int fast = 0;
        for (int k = 0; k < 200_000; k++) {
            double x = (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(40) - 20);
            String s = switch (k % 5) {
                case 0 -> Double.toString(x);
                case 1 -> Float.toString((float) x);
                case 2 -> String.format(Locale.ROOT, "%.4f", x);
                case 3 -> String.format(Locale.ROOT, "%." + random.nextInt(15) + "e", x);
                default -> String.format(Locale.ROOT, "%.6E", x).replace("E+", "E");
            };
            float v = single(s);
            if (!Float.isNaN(v)) {
                fast++;
                assertEquals(Float.floatToRawIntBits((float) Double.parseDouble(s)), Float.floatToRawIntBits(v), s);
            }
        }
        assertTrue(fast > 100_000, "only " + fast + " of 200000 on the fast path");
    }

    @Test
    void edgeCasesAreExactOrLeftToTheFullParser() {
        for (String s : List.of("0", "0.0", "-0.0", "1", "0.1", "0.1234", "-2.5e-3", "1E22", "1e-22", "123456789012345",
                "0.000000000000000000001", "4.9e-5", "1e0", "1e+5", "1E-5", "999999999999999", "12345678901234.5e8",
                // longer significands and exponents, read to float32 through the midpoint check
                "1234567890123456", "0.12345678901234567", "9007199254740993", "123456789012345678", "0.23529411764705882",
                "1.2345678901234567e-20", "1e23", "1e-23", "-7.0000000000000001e20", "3.4e38", "1.2e-38")) {
            assertEquals(Float.floatToRawIntBits((float) Double.parseDouble(s)), Float.floatToRawIntBits(single(s)), s);
        }
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(single("-0")), "the integer -0 is 0");
        // more than 18 digits, an exponent past 44, not finite as float32, subnormal or the largest float32, not JSON
        for (String s : List.of("1234567890123456789", "0.1234567890123456789", "1.2345678901234567e-30", "1e45", "1e-45", "1e400",
                "1e39", "-1e39", "3.5e38", "3.4028235e38", "1.4e-45", "1e-40", "", "-", ".", ".5", "e5", "1e", "1.", "1.e5",
                "01", "-01", "00.5", "+1", "1.5x", "NaN", "Infinity", "0x10", "1_000")) {
            assertTrue(Float.isNaN(single(s)), s);
        }
    }

    /** What Python's {@code json.dumps} writes for float64 values: 16–17 digits, almost all read here. */
    @Test
    void float64ReprsAreReadExactlyAsTheFullParserWould() {
        Random random = new Random(3);
        int fast = 0, total = 100_000;
        for (int k = 0; k < total; k++) {
            double x = switch (k % 4) {
                case 0 -> random.nextDouble();
                case 1 -> random.nextInt(256) / 255.0;
                case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                default -> (random.nextDouble() - 0.5) * 1e-3;
            };
            String s = Double.toString(x);
            float v = single(s);
            if (!Float.isNaN(v)) {
                fast++;
                assertEquals(Float.floatToRawIntBits((float) Double.parseDouble(s)), Float.floatToRawIntBits(v), s);
            }
        }
        assertTrue(fast > total * 99 / 100, "only " + fast + " of " + total + " on the fast path");
    }

    /**
     * Decimals of 15 to 18 digits within a few units of their last digit of a point halfway between two floats: where
     * a float32 read could go wrong. Every one read on the fast path must equal the full parser's float.
     */
    @Test
    void decimalsNearFloatMidpointsAreReadExactlyOrLeftToTheFullParser() {
        Random random = new Random(17);
        int fast = 0, total = 0;
        for (int k = 0; k < 20_000; k++) {
            float f = Float.intBitsToFloat(0x00800000 + random.nextInt(0x7e800000));
            java.math.BigDecimal mid = new java.math.BigDecimal(((double) f + Math.nextUp(f)) / 2);
            for (int digits = 15; digits <= 18; digits++) {
                java.math.BigDecimal rounded = mid.round(new java.math.MathContext(digits));
                for (int step = -2; step <= 2; step++) {
                    String s = rounded.add(rounded.ulp().multiply(java.math.BigDecimal.valueOf(step))).toString();
                    float v = single(s);
                    total++;
                    if (!Float.isNaN(v)) {
                        fast++;
                        assertEquals(Float.floatToRawIntBits((float) Double.parseDouble(s)), Float.floatToRawIntBits(v), s);
                    }
                }
            }
        }
        assertTrue(fast > 0 && fast < total, fast + " of " + total);
    }

    @Test
    void unusualBodiesAreLeftToTheFullParser() {
        List<String> bodies = List.of(
                request("[]"),
                request("[[]]"),
                request("[1,\"x\",3,4]"),
                request("[1,null,3,4]"),
                request("[1,[2],3,4]"),
                request("[[1,2],3]"),
                request("[[1,2],[3]]"),
                request("[[[1],[2]],[3,4]]"),
                request("[1,,3,4]"),
                request("[1,2,3,4,]"),
                request("[01,2,3,4]"),
                request("[1.,2,3,4]"),
                request("[.5,2,3,4]"),
                request("[+1,2,3,4]"),
                request("[1e,2,3,4]"),
                request("[-,2,3,4]"),
                request("[NaN,2,3,4]"),
                request("[1,2,3,4"),
                request("{\"a\":1}"),
                request("7"),
                request("[[[[[[[[[1]]]]]]]]]"),
                request("[0.5,-1.25,3,1e-3]") + "x",
                request("[0.5,-1.25,3,1e-3]") + "}",
                "{\"inputs\":[{\"name\":\"input\",\"d\\u0061ta\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"data\":[1,2,3,4],\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"data\":[1,2,3,4]}],\"inputs\":[{\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":\"input\"}]}",
                "{\"inputs\":[[1,2,3,4]]}",
                "{\"inputs\":{\"data\":[1,2,3,4]}}",
                "[{\"inputs\":[{\"data\":[1,2,3,4]}]}]",
                "{\"inputs\":[{\"data\":[1,2,3,4]}]",
                "{\"x\":\"unterminated, \"inputs\":[{\"data\":[1,2,3,4]}]}",
                "",
                "   ");
        for (String body : bodies) assertNull(find(body), body);
    }

    @Test
    void aShapeThatDisagreesWithTheDataOnlyMissesTheSizeHint() {
        for (String shape : List.of("[1,4]", "[1,2]", "[1,4000]", "[99999999,99999999]", "[\"x\"]", "[1,-4]", "[]", "7", "[1e3]")) {
            String body = "{\"inputs\":[{\"shape\":" + shape + ",\"data\":[0.5,-1.25,3,1e-3]}]}";
            JsonNumbers fast = find(body);
            assertNotNull(fast, body);
            assertArrayEquals(VALUES, fast.read(SHAPE, null, 4), body);
        }
        String many = "{\"inputs\":[{\"shape\":[1,2],\"data\":[" + "1,".repeat(99) + "1]}]}";
        float[] ones = new float[100];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, find(many).read(new int[]{1, 100}, null, 100));
    }

    @Test
    void onlyTheFirstInputsData() {
        JsonNumbers fast = find("{\"inputs\":[{\"name\":\"input\",\"data\":[1,2,3,4]},{\"name\":\"other\",\"data\":[5,6,7,8]}]}");
        assertNotNull(fast);
        assertArrayEquals(new float[]{1, 2, 3, 4}, fast.read(SHAPE, null, 4));
    }
}
