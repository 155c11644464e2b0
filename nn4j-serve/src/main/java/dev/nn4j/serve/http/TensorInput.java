package dev.nn4j.serve.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nn4j.serve.ServeException;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads the one input tensor of an Open Inference Protocol request ({@code {"name", "shape", "datatype", "data"}})
 * into float32 rows for a model, checking everything a client can get wrong; each problem is a 400 naming it.
 *
 * <p>Shape {@code [B, …]} where {@code …} is the model's input shape or its flattened size; data flat in row-major
 * order or nested to match the shape; datatypes FP16/FP32/FP64 and INT8…INT64, UINT8…UINT64 (integers must be
 * integral and in range), all converted to float32, which must be finite.
 *
 * <p>With the binary tensor data extension the input has no {@code data} but a {@code binary_data_size} parameter, and
 * its values are read from the bytes after the JSON header ({@link BinaryTensors}).
 *
 * <p>{@link #read(JsonParser, Target, int, int, BinaryTensors.Tail)} streams: when {@code shape} and {@code datatype} come before
 * {@code data} (as every client writes them), the numbers go from the parser straight into the {@code float[]},
 * without a node per number; otherwise {@code data} is read as a tree. Either way the checks run in the same order
 * as on a tree, so the first problem reported is the same one.
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

    /** What the model takes: its name (for messages), the shape of one example and its flattened size. */
    record Target(String model, int[] inputShape, int features) {}

    /** The outcome of streaming one input: its rows, or the first problem (thrown once the whole body parsed). */
    record Parsed(Rows rows, ServeException error) {
        Rows get() {
            if (error != null) throw error;
            return rows;
        }
    }

    private TensorInput() {}

    // ------------------------------------------------------------------ streaming

    /**
     * Reads the input whose first token {@code p} stands on, up to and including its last token. Problems with its
     * content come back in {@link Parsed#error()}, so that a syntax error later in the body still wins; syntax errors
     * are thrown by the parser.
     */
    static Parsed read(JsonParser p, Target target, int maxRows, int maxRank, BinaryTensors.Tail tail) throws IOException {
        return read(p, target, maxRows, maxRank, tail, null);
    }

    /**
     * As above on the {@link JsonNumbers#skeleton() skeleton} of a body whose data {@code fast} holds: its empty
     * {@code data} array takes {@code fast}'s values once shape and datatype are checked (in whichever order the
     * fields came), or throws {@link JsonNumbers.Declined} when they do not fit.
     */
    static Parsed read(JsonParser p, Target target, int maxRows, int maxRank, BinaryTensors.Tail tail, JsonNumbers fast)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new Parsed(null, bad("each of \"inputs\" must be an object with name, shape, datatype and data"));
        }
        JsonNode name = null, shape = null, datatype = null, dataTree = null, parameters = null;
        Streamed streamed = null;
        boolean dataSeen = false, dataArray = false;
        int shapes = 0, datatypes = 0;  // with fast: a repeated shape or datatype goes to the full parse
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> name = p.readValueAsTree();
                case "shape" -> {
                    shape = p.readValueAsTree();
                    shapes++;
                }
                case "datatype" -> {
                    datatype = p.readValueAsTree();
                    datatypes++;
                }
                case "parameters" -> parameters = p.readValueAsTree();
                case "data" -> {
                    if (fast != null) { // the emptied array; its values are taken once shape and datatype are checked
                        if (v != JsonToken.START_ARRAY || p.nextToken() != JsonToken.END_ARRAY) throw new JsonNumbers.Declined();
                        dataSeen = dataArray = true;
                        break;
                    }
                    dataSeen = true;
                    dataArray = v == JsonToken.START_ARRAY;
                    dataTree = null;
                    streamed = null;
                    Plan plan = dataArray && shape != null && datatype != null ? plan(shape, datatype, target, maxRows, maxRank) : null;
                    if (plan != null) streamed = stream(p, plan);
                    else if (dataArray && (shape == null || datatype == null)) dataTree = p.readValueAsTree();
                    else p.skipChildren(); // an error about shape, datatype or data itself comes first
                }
                default -> p.skipChildren();
            }
        }
        try {
            Checked c = check(name, shape, datatype, target, maxRows, maxRank);
            Long binarySize = binaryDataSize(parameters);
            if (binarySize != null) {
                if (dataSeen) throw bad("input '" + NAME + "' has both \"data\" and the binary_data_size parameter; send one of them");
                float[] values = tail.read(NAME, c.datatype, binarySize, c.count, c.shape);
                return new Parsed(new Rows(values, c.shape[0]), null);
            }
            if (!dataSeen || !dataArray) throw bad("input '" + NAME + "' needs an array \"data\" (flat or nested, row-major)");
            if (fast != null) {
                float[] values = shapes == 1 && datatypes == 1 ? fast.read(c.shape, c.range, c.count) : null;
                if (values == null) throw new JsonNumbers.Declined();
                return new Parsed(new Rows(values, c.shape[0]), null);
            }
            if (streamed != null) {
                if (!Arrays.equals(streamed.plan.shape, c.shape) || streamed.plan.range != c.range) {
                    throw bad("input '" + NAME + "' repeats \"shape\" or \"datatype\" after \"data\"; send each once");
                }
                if (streamed.error != null) throw streamed.error;
                return new Parsed(new Rows(streamed.values, c.shape[0]), null);
            }
            if (dataTree == null) { // skipped under a wrong shape or datatype that a repeated field then replaced
                throw bad("input '" + NAME + "' repeats \"shape\" or \"datatype\" after \"data\"; send each once");
            }
            return new Parsed(new Rows(fromTree(dataTree, c), c.shape[0]), null);
        } catch (ServeException e) {
            return new Parsed(null, e);
        }
    }

    /**
     * The input's {@code binary_data_size} parameter (binary tensor data extension), or null when it has none; a
     * parameters value that is not an object, or a size that is not a non-negative integer, is a 400.
     */
    private static Long binaryDataSize(JsonNode parameters) {
        if (parameters == null) return null;
        if (!parameters.isObject()) throw bad("input '" + NAME + "' has \"parameters\" that is not an object");
        JsonNode size = parameters.get("binary_data_size");
        if (size == null) return null;
        if (!size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            throw bad("input '" + NAME + "': binary_data_size must be a non-negative integer but was " + size);
        }
        return size.asLong();
    }

    /** A validated shape and datatype, and what to fill: {@code count} values. */
    private record Plan(int[] shape, String datatype, double[] range, int count) {}

    private record Checked(int[] shape, String datatype, double[] range, int count) {}

    /** The streamed data: its values and the first problem with them, in the order a tree walk would find it. */
    private record Streamed(Plan plan, float[] values, ServeException error) {}

    /** The plan for streaming {@code data}, or null when shape or datatype is wrong (that error is reported instead). */
    private static Plan plan(JsonNode shape, JsonNode datatype, Target target, int maxRows, int maxRank) {
        try {
            Checked c = checkShapeAndType(shape, datatype, target, maxRows, maxRank);
            return new Plan(c.shape, c.datatype, c.range, c.count);
        } catch (ServeException e) {
            return null;
        }
    }

    /** The checks of a tree, in their order, before the data. */
    private static Checked check(JsonNode name, JsonNode shape, JsonNode datatype, Target target, int maxRows, int maxRank) {
        if (name == null || !name.isTextual()) throw bad("input needs a string \"name\"");
        if (!name.asText().equals(NAME)) {
            throw bad("unknown input '" + name.asText() + "'; model " + target.model() + " has one input named '" + NAME + "'");
        }
        return checkShapeAndType(shape, datatype, target, maxRows, maxRank);
    }

    private static Checked checkShapeAndType(JsonNode shapeNode, JsonNode typeNode, Target target, int maxRows, int maxRank) {
        int[] shape = shape(shapeNode, maxRank);
        if (typeNode == null || !typeNode.isTextual()) throw bad("input '" + NAME + "' needs a string \"datatype\"");
        String datatype = typeNode.asText();
        double[] range = INTEGER_RANGES.get(datatype);
        if (range == null && !datatype.equals("FP32") && !datatype.equals("FP64") && !datatype.equals("FP16")) {
            throw bad("datatype " + datatype + " is not supported; send FP32 (FP16, FP64, INT8…INT64 and UINT8…UINT64 are converted)");
        }
        checkShape(shape, target);
        int rows = shape[0];
        if (rows > maxRows) throw bad("batch size " + rows + " is over this server's limit of " + maxRows + " examples per request");
        long count = 1;
        for (int d : shape) count *= d;
        if (count > Integer.MAX_VALUE - 8) throw bad("shape " + Arrays.toString(shape) + " holds " + count + " values, too many for one request");
        return new Checked(shape, datatype, range, (int) count);
    }

    /** Streams the array {@code p} stands on into a new {@code float[plan.count]}; {@code p} ends on its closing bracket. */
    private static Streamed stream(JsonParser p, Plan plan) throws IOException {
        Filler f = new Filler(plan, new float[plan.count]);
        JsonToken first = p.nextToken();
        if (first == JsonToken.START_ARRAY) {
            int filled = f.nested(p, first, 0, 0);
            if (f.error == null && filled != plan.count) {
                f.error = bad("data holds " + filled + " values but shape " + Arrays.toString(plan.shape) + " needs " + plan.count);
            }
        } else {
            int i = 0;
            for (JsonToken t = first; t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
                if (i < plan.count) f.value(p, t, i);
                else p.skipChildren();
            }
            if (i != plan.count) { // a tree reader sees the count first, so this error wins over any value's
                f.error = bad("data holds " + i + " values but shape " + Arrays.toString(plan.shape) + " needs " + plan.count);
            }
        }
        return new Streamed(plan, f.out, f.error);
    }

    /** Fills {@code out} token by token, keeping the first problem a depth-first tree walk would have met. */
    private static final class Filler {
        final Plan plan;
        final float[] out;
        ServeException error;

        Filler(Plan plan, float[] out) {
            this.plan = plan;
            this.out = out;
        }

        /**
         * The array of dimension {@code d} whose first item token is {@code t}; returns the next position. Its length
         * is only known at its end, but a tree walk checks it on entry: so a wrong length replaces any problem found
         * inside it, though not one found before it.
         */
        int nested(JsonParser p, JsonToken t, int d, int at) throws IOException {
            boolean clean = error == null;
            int[] shape = plan.shape;
            int size = 0;
            for (; t != JsonToken.END_ARRAY; t = p.nextToken(), size++) {
                if (d == shape.length - 1) {
                    if (at < out.length) value(p, t, at);
                    else {
                        p.skipChildren();
                        if (error == null) error = bad("data holds more values than shape " + Arrays.toString(shape) + " needs");
                    }
                    at++;
                } else if (t == JsonToken.START_ARRAY) {
                    at = nested(p, p.nextToken(), d + 1, at);
                } else {
                    p.skipChildren();
                    if (error == null) error = structure(d + 1);
                }
            }
            if (size != shape[d] && clean) error = structure(d);
            return at;
        }

        private ServeException structure(int d) {
            int[] shape = plan.shape;
            return bad("nested data does not follow shape " + Arrays.toString(shape) + " at dimension " + d
                    + " (expected " + (d < shape.length ? shape[d] + " items" : "a number") + ")");
        }

        /** Converts the value token {@code t} into {@code out[index]}, or records why it cannot be. */
        void value(JsonParser p, JsonToken t, int index) throws IOException {
            double[] range = plan.range;
            if (t == JsonToken.VALUE_NUMBER_FLOAT && range == null) {
                double d = p.getDoubleValue();
                float v = (float) d;
                if (Float.isFinite(v)) out[index] = v;
                else if (error == null) error = bad("data[" + index + "] = " + text(d) + " is not a finite float32");
            } else if (t == JsonToken.VALUE_NUMBER_INT) {
                double v = p.getDoubleValue();
                if (range != null && (v < range[0] || v > range[1])) {
                    if (error == null) error = bad("data[" + index + "] = " + new BigInteger(p.getText()) + " is out of range for " + plan.datatype);
                } else if (range == null && !Float.isFinite((float) v)) {
                    if (error == null) error = bad("data[" + index + "] = " + new BigInteger(p.getText()) + " is not a finite float32");
                } else {
                    out[index] = (float) v;
                }
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                if (error == null) {
                    error = bad("data[" + index + "] = " + text(p.getDoubleValue()) + " is not an integer, as datatype " + plan.datatype + " requires");
                }
            } else {
                p.skipChildren();
                if (error == null) error = bad("data[" + index + "] is " + kind(t) + ", not a number of datatype " + plan.datatype);
            }
        }

        /** A double as a tree prints it in messages (non-finite values quoted). */
        private static String text(double d) {
            return JsonNodeFactory.instance.numberNode(d).toString();
        }

        private static String kind(JsonToken t) {
            return switch (t) {
                case START_ARRAY -> "array";
                case START_OBJECT -> "object";
                case VALUE_STRING -> "string";
                case VALUE_TRUE, VALUE_FALSE -> "boolean";
                case VALUE_NULL -> "null";
                default -> t.toString().toLowerCase();
            };
        }
    }

    // ------------------------------------------------------------------ tree

    /** Reads an input given as a tree (a {@code data} that came before {@code shape} or {@code datatype} ends up here). */
    static Rows read(JsonNode input, Target target, int maxRows, int maxRank) {
        if (!input.isObject()) throw bad("each of \"inputs\" must be an object with name, shape, datatype and data");
        Checked c = check(input.get("name"), input.get("shape"), input.get("datatype"), target, maxRows, maxRank);
        JsonNode data = input.get("data");
        if (data == null || !data.isArray()) throw bad("input '" + NAME + "' needs an array \"data\" (flat or nested, row-major)");
        return new Rows(fromTree(data, c), c.shape[0]);
    }

    private static float[] fromTree(JsonNode data, Checked c) {
        int[] shape = c.shape;
        int count = c.count;
        float[] values = new float[count];
        boolean nested = !data.isEmpty() && data.get(0).isArray();
        if (nested) {
            int filled = nested(data, shape, 0, values, 0, c.range, c.datatype);
            if (filled != count) throw bad("data holds " + filled + " values but shape " + Arrays.toString(shape) + " needs " + count);
        } else {
            if (data.size() != count) {
                throw bad("data holds " + data.size() + " values but shape " + Arrays.toString(shape) + " needs " + count);
            }
            for (int i = 0; i < values.length; i++) values[i] = value(data.get(i), c.range, c.datatype, i);
        }
        return values;
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
    private static void checkShape(int[] shape, Target target) {
        int[] one = target.inputShape();
        int[] tail = Arrays.copyOfRange(shape, 1, shape.length);
        boolean flat = tail.length == 1 && tail[0] == target.features();
        if (shape.length < 2 || !(Arrays.equals(tail, one) || flat)) {
            String expected = "[B, " + Arrays.toString(one).substring(1);
            throw bad("shape " + Arrays.toString(shape) + " does not fit model " + target.model() + ", which takes " + expected
                    + (one.length > 1 ? " or [B, " + target.features() + "]" : "") + " with B examples");
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
