package dev.nn4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.serve.ServeException;
import dev.nn4j.serve.model.LoadedModel;

import java.util.Arrays;
import java.util.Map;

/**
 * Reads the one input tensor of an Open Inference Protocol request ({@code {"name", "shape", "datatype", "data"}})
 * into float32 rows for a model, checking everything a client can get wrong; each problem is a 400 naming it.
 *
 * <p>Shape {@code [B, …]} where {@code …} is the model's input shape or its flattened size; data flat in row-major
 * order or nested to match the shape; datatypes FP16/FP32/FP64 and INT8…INT64, UINT8…UINT64 (integers must be
 * integral and in range), all converted to float32, which must be finite.
 */
final class TensorInput {
    /** Input tensors are called this in model metadata. */
    static final String NAME = "input";

    /** The integer datatypes with their ranges; floating types are {@code FP16}, {@code FP32}, {@code FP64}. */
    private static final Map<String, double[]> INTEGER_RANGES = Map.of(
            "INT8", new double[]{Byte.MIN_VALUE, Byte.MAX_VALUE}, "INT16", new double[]{Short.MIN_VALUE, Short.MAX_VALUE},
            "INT32", new double[]{Integer.MIN_VALUE, Integer.MAX_VALUE}, "INT64", new double[]{Long.MIN_VALUE, Long.MAX_VALUE},
            "UINT8", new double[]{0, 255}, "UINT16", new double[]{0, 65535}, "UINT32", new double[]{0, 4294967295.0},
            "UINT64", new double[]{0, 18446744073709551615.0});

    /** The examples, {@code rows × model.features()} float32 values. */
    record Rows(float[] values, int rows) {}

    private TensorInput() {}

    static Rows read(JsonNode input, LoadedModel model, int maxRows, int maxRank) {
        if (!input.isObject()) throw bad("each of \"inputs\" must be an object with name, shape, datatype and data");
        JsonNode nameNode = input.get("name");
        if (nameNode == null || !nameNode.isTextual()) throw bad("input needs a string \"name\"");
        String name = nameNode.asText();
        if (!name.equals(NAME)) throw bad("unknown input '" + name + "'; model " + model.name() + " has one input named '" + NAME + "'");
        int[] shape = shape(input.get("shape"), maxRank);
        JsonNode typeNode = input.get("datatype");
        if (typeNode == null || !typeNode.isTextual()) throw bad("input '" + NAME + "' needs a string \"datatype\"");
        String datatype = typeNode.asText();
        double[] range = INTEGER_RANGES.get(datatype);
        if (range == null && !datatype.equals("FP32") && !datatype.equals("FP64") && !datatype.equals("FP16")) {
            throw bad("datatype " + datatype + " is not supported; send FP32 (FP16, FP64, INT8…INT64 and UINT8…UINT64 are converted)");
        }
        checkShape(shape, model);
        int rows = shape[0];
        if (rows > maxRows) throw bad("batch size " + rows + " is over this server's limit of " + maxRows + " examples per request");
        long count = 1;
        for (int d : shape) count *= d;
        JsonNode data = input.get("data");
        if (data == null || !data.isArray()) throw bad("input '" + NAME + "' needs an array \"data\" (flat or nested, row-major)");
        float[] values = new float[(int) count];
        boolean nested = !data.isEmpty() && data.get(0).isArray();
        if (nested) {
            int filled = nested(data, shape, 0, values, 0, range, datatype);
            if (filled != count) throw bad("data holds " + filled + " values but shape " + Arrays.toString(shape) + " needs " + count);
        } else {
            if (data.size() != count) {
                throw bad("data holds " + data.size() + " values but shape " + Arrays.toString(shape) + " needs " + count);
            }
            for (int i = 0; i < values.length; i++) values[i] = value(data.get(i), range, datatype, i);
        }
        return new Rows(values, rows);
    }

    private static int[] shape(JsonNode node, int maxRank) {
        if (node == null || !node.isArray() || node.isEmpty()) throw bad("input '" + NAME + "' needs a non-empty array \"shape\"");
        if (node.size() > maxRank) throw bad("shape has rank " + node.size() + ", over this server's limit of " + maxRank);
        int[] shape = new int[node.size()];
        for (int d = 0; d < shape.length; d++) {
            JsonNode n = node.get(d);
            if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > Integer.MAX_VALUE) {
                throw bad("shape " + node + " must hold positive integers");
            }
            shape[d] = n.asInt();
        }
        return shape;
    }

    /** {@code [B, …inputShape]} or {@code [B, features]}. */
    private static void checkShape(int[] shape, LoadedModel model) {
        int[] one = model.inputShape();
        int[] tail = Arrays.copyOfRange(shape, 1, shape.length);
        boolean flat = tail.length == 1 && tail[0] == model.features();
        if (shape.length < 2 || !(Arrays.equals(tail, one) || flat)) {
            String expected = "[B, " + Arrays.toString(one).substring(1);
            throw bad("shape " + Arrays.toString(shape) + " does not fit model " + model.name() + ", which takes " + expected
                    + (one.length > 1 ? " or [B, " + model.features() + "]" : "") + " with B examples");
        }
    }

    /** Fills {@code out} from nested arrays whose lengths must follow {@code shape} from dimension {@code d}; returns the next position. */
    private static int nested(JsonNode node, int[] shape, int d, float[] out, int at, double[] range, String datatype) {
        if (d >= shape.length || !node.isArray() || node.size() != shape[d]) {
            throw bad("nested data does not follow shape " + Arrays.toString(shape) + " at dimension " + d
                    + " (expected " + (d < shape.length ? shape[d] + " items" : "a number") + ")");
        }
        for (JsonNode item : node) {
            if (d == shape.length - 1) {
                if (at >= out.length) throw bad("data holds more values than shape " + Arrays.toString(shape) + " needs");
                out[at] = value(item, range, datatype, at);
                at++;
            } else {
                at = nested(item, shape, d + 1, out, at, range, datatype);
            }
        }
        return at;
    }

    private static float value(JsonNode n, double[] range, String datatype, int index) {
        if (n == null || !n.isNumber()) throw bad("data[" + index + "] is " + (n == null ? "missing" : n.getNodeType().toString().toLowerCase()) + ", not a number of datatype " + datatype);
        if (range != null) {
            if (!n.isIntegralNumber()) throw bad("data[" + index + "] = " + n + " is not an integer, as datatype " + datatype + " requires");
            double v = n.asDouble();
            if (v < range[0] || v > range[1]) throw bad("data[" + index + "] = " + n + " is out of range for " + datatype);
            return (float) v;
        }
        float v = (float) n.asDouble();
        if (!Float.isFinite(v)) throw bad("data[" + index + "] = " + n + " is not a finite float32");
        return v;
    }

    private static ServeException bad(String message) {
        return new ServeException(400, message);
    }
}
