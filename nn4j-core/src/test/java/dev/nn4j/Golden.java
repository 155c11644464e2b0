package dev.nn4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nn4j.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads the golden files recorded from PyTorch by {@code tools/goldens/*.py} (test resources
 * {@code golden/<area>/<name>.json}) and compares tensors against them. Tests never call Python.
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String id;
    private final JsonNode root;

    private Golden(String id, JsonNode root) {
        this.id = id;
        this.root = root;
    }

    /** Loads {@code golden/<areaAndName>.json}, e.g. {@code Golden.load("ops/add")}. */
    public static Golden load(String areaAndName) {
        String path = "/golden/" + areaAndName + ".json";
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing golden file " + path + "; run tools/goldens/*.py");
            return new Golden(areaAndName, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String name) {
        return root.path("tensors").has(name);
    }

    /** The named tensor (a fresh copy each call). */
    public Tensor tensor(String name) {
        JsonNode t = root.path("tensors").get(name);
        if (t == null) throw new IllegalArgumentException("golden " + id + " has no tensor " + name);
        int[] shape = new int[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asInt();
        JsonNode data = t.get("data");
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = data.get(i);
            v[i] = x.isTextual() ? Float.parseFloat(x.asText().replace("inf", "Infinity").replace("nan", "NaN")) : (float) x.asDouble();
        }
        return Tensor.fromArray(v, shape);
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        root.path("tensors").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Metadata recorded with the golden values (hyperparameters, options). */
    public JsonNode meta() {
        return root.path("meta");
    }

    /** Asserts equal shapes and {@code |a − e| ≤ atol + rtol·|e|} elementwise, naming the first bad index. */
    public static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Float.isNaN(e[i]) ? Float.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
        }
    }

    public void assertClose(String name, Tensor actual, double atol, double rtol) {
        assertClose(tensor(name), actual, atol, rtol, id + "/" + name);
    }
}
