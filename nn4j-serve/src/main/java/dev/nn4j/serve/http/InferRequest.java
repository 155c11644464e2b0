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
import java.util.List;

/**
 * The body of an Open Inference Protocol infer request ({@code {"id", "parameters", "inputs", "outputs"}}), read with
 * Jackson's streaming parser: the input's numbers go straight into a {@code float[]} (see {@link TensorInput}), the
 * small fields are read as trees. The checks run in the order of a tree walk over the whole document, after it
 * parsed: malformed JSON anywhere wins, then {@code id}, {@code parameters}, {@code inputs}, {@code outputs} and
 * finally the input tensor.
 *
 * @param id      the request id to echo, or null
 * @param outputs the requested outputs, in order, without repeats (all of {@link OipHandler#OUTPUTS} when none asked)
 * @param rows    the input examples
 */
record InferRequest(String id, List<String> outputs, TensorInput.Rows rows) {
    /**
     * Parses numbers with Jackson's fast double parser: a profile under load showed half the server's CPU in the JDK's
     * {@code FloatingDecimal} reading the 784 values of an image request.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());

    /** Parses and checks {@code body}; every problem is a {@link ServeException} with status 400. */
    static InferRequest parse(byte[] body, TensorInput.Target target, int maxRows, int maxRank) {
        try (JsonParser p = MAPPER.createParser(body)) {
            return parse(p, target, maxRows, maxRank);
        } catch (JsonProcessingException e) {
            throw new ServeException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ServeException(400, "cannot read the body: " + e.getMessage());
        }
    }

    private static InferRequest parse(JsonParser p, TensorInput.Target target, int maxRows, int maxRank) throws IOException {
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
                        if (inputCount == 0) input = TensorInput.read(p, target, maxRows, maxRank);
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
        List<String> wanted = requestedOutputs(outputs);
        return new InferRequest(id == null ? null : id.asText(), wanted, input.get());
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
