package dev.nn4j.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nn4j.serve.ServeException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of an Open Inference Protocol infer request ({@code {"id", "parameters", "inputs", "outputs"}}), read with
 * Jackson's streaming parser: the input's numbers go straight into a {@code float[]} (see {@link TensorInput}), the
 * small fields are read as trees. Usually the numbers are read from the body's bytes first ({@link JsonNumbers}) and
 * Jackson parses the rest. The checks run in the order of a tree walk over the whole document, after it
 * parsed: malformed JSON anywhere wins, then {@code id}, {@code parameters}, {@code inputs}, {@code outputs} and
 * finally the input tensor.
 *
 * <p>With the binary tensor data extension the body is a JSON header of {@code headerLength} bytes followed by the
 * input's raw values; {@code binary_data_output} (request parameter) or {@code binary_data} (per requested output) ask
 * for outputs in binary too.
 *
 * @param id            the request id to echo, or null
 * @param outputs       the requested outputs, in order, without repeats (all of {@link OipHandler#OUTPUTS} when none asked)
 * @param binaryOutputs the outputs to return as binary data (a subset of {@code outputs})
 * @param rows          the input examples
 */
record InferRequest(String id, List<String> outputs, Set<String> binaryOutputs, TensorInput.Rows rows) {
    /**
     * Parses numbers with Jackson's fast double parser (off {@link JsonNumbers}'s path): a profile under load showed
     * half the server's CPU in the JDK's {@code FloatingDecimal} reading the 784 values of an image request. Its
     * buffers come from {@link Reply#BUFFERS}.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).recyclerPool(Reply.BUFFERS).build());

    /** Parses and checks a JSON {@code body}; every problem is a {@link ServeException} with status 400. */
    static InferRequest parse(byte[] body, TensorInput.Target target, int maxRows, int maxRank) {
        return parse(body, -1, target, maxRows, maxRank);
    }

    /**
     * Parses and checks {@code body}, whose first {@code headerLength} bytes are the JSON part and the rest binary
     * tensor data; {@code headerLength < 0} means a JSON body without binary data.
     */
    static InferRequest parse(byte[] body, int headerLength, TensorInput.Target target, int maxRows, int maxRank) {
        if (headerLength < 0) {
            InferRequest fast = parseFast(body, target, maxRows, maxRank);
            if (fast != null) return fast;
        }
        return parse(body, headerLength, target, maxRows, maxRank, null);
    }

    /**
     * A JSON {@code body} read with its numbers taken from the bytes ({@link JsonNumbers}), or null when it leaves that
     * path: the data does not fit after all, or the body has a problem, which the full parse then finds and reports.
     */
    static InferRequest parseFast(byte[] body, TensorInput.Target target, int maxRows, int maxRank) {
        JsonNumbers fast = JsonNumbers.find(body, body.length);
        if (fast == null) return null;
        try {
            return parse(fast.skeleton(), -1, target, maxRows, maxRank, fast);
        } catch (JsonNumbers.Declined | ServeException e) {
            return null;
        }
    }

    /** Parses {@code body}, or the skeleton of one whose data {@code fast} holds (see {@link JsonNumbers}). */
    private static InferRequest parse(byte[] body, int headerLength, TensorInput.Target target, int maxRows, int maxRank,
                                      JsonNumbers fast) {
        int jsonLength = headerLength < 0 ? body.length : headerLength;
        BinaryTensors.Tail tail = headerLength < 0 ? BinaryTensors.Tail.none() : new BinaryTensors.Tail(body, headerLength, true);
        try (JsonParser p = MAPPER.createParser(body, 0, jsonLength)) {
            InferRequest request = parse(p, target, maxRows, maxRank, tail, fast);
            if (tail.remaining() > 0) {
                throw new ServeException(400, tail.remaining() + " bytes of binary data follow the JSON header but no input's"
                        + " binary_data_size claims them");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new ServeException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ServeException(400, "cannot read the body: " + e.getMessage());
        }
    }

    private static InferRequest parse(JsonParser p, TensorInput.Target target, int maxRows, int maxRank,
                                      BinaryTensors.Tail tail, JsonNumbers fast) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            p.skipChildren(); // a syntax error inside still reads as malformed JSON
            throw new ServeException(400, "the body must be a JSON object with \"inputs\"");
        }
        JsonNode id = null, parameters = null, outputs = null;
        boolean inputsSeen = false, inputsArray = false;
        int inputCount = 0;
        TensorInput.Parsed input = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "id" -> id = p.readValueAsTree();
                case "parameters" -> parameters = p.readValueAsTree();
                case "outputs" -> outputs = p.readValueAsTree();
                case "inputs" -> {
                    inputsSeen = true;
                    inputsArray = v == JsonToken.START_ARRAY;
                    inputCount = 0;
                    input = null;
                    if (!inputsArray) {
                        p.skipChildren();
                        break;
                    }
                    for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken(), inputCount++) {
                        if (inputCount == 0) input = TensorInput.read(p, target, maxRows, maxRank, tail, fast);
                        else p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (id != null && !id.isTextual()) throw new ServeException(400, "\"id\" must be a string");
        if (parameters != null && !parameters.isObject()) throw new ServeException(400, "\"parameters\" must be an object");
        if (!inputsSeen || !inputsArray || inputCount != 1) {
            throw new ServeException(400, "\"inputs\" must be an array of exactly one tensor named '" + TensorInput.NAME + "'");
        }
        boolean allBinary = Boolean.TRUE.equals(binaryFlag(parameters, "binary_data_output", "request parameter"));
        List<String> wanted = requestedOutputs(outputs);
        Set<String> binary = new HashSet<>();
        if (allBinary) binary.addAll(wanted);
        if (outputs != null) { // an output's own binary_data, true or false, overrides binary_data_output
            for (JsonNode o : outputs) {
                String name = o.path("name").asText();
                Boolean own = binaryFlag(o.get("parameters"), "binary_data", "output " + name);
                if (Boolean.TRUE.equals(own)) binary.add(name);
                else if (Boolean.FALSE.equals(own)) binary.remove(name);
            }
        }
        TensorInput.Rows rows = input.get();
        if (fast != null && !fast.consumed()) throw new JsonNumbers.Declined(); // the skeleton never reached the data
        return new InferRequest(id == null ? null : id.asText(), wanted, Set.copyOf(binary), rows);
    }

    /** A boolean flag of the binary tensor data extension in {@code parameters}, or null when it is not set. */
    private static Boolean binaryFlag(JsonNode parameters, String flag, String where) {
        if (parameters == null) return null;
        if (!parameters.isObject()) throw new ServeException(400, "\"parameters\" of " + where + " must be an object");
        if (!parameters.has(flag)) return null;
        JsonNode v = parameters.get(flag);
        if (!v.isBoolean()) throw new ServeException(400, flag + " (" + where + ") must be true or false but was " + v);
        return v.asBoolean();
    }

    private static List<String> requestedOutputs(JsonNode outputs) {
        if (outputs == null) return OipHandler.OUTPUTS;
        if (!outputs.isArray()) throw new ServeException(400, "\"outputs\" must be an array of {\"name\": …}");
        List<String> wanted = new ArrayList<>();
        for (JsonNode o : outputs) {
            String name = o.path("name").asText(null);
            if (name == null || !OipHandler.OUTPUTS.contains(name)) {
                throw new ServeException(400, "unknown output " + (name == null ? o.toString() : "'" + name + "'") + "; outputs: " + String.join(", ", OipHandler.OUTPUTS));
            }
            if (!wanted.contains(name)) wanted.add(name);
        }
        return wanted.isEmpty() ? OipHandler.OUTPUTS : wanted;
    }
}
