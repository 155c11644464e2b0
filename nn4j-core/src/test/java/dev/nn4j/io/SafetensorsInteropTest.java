package dev.nn4j.io;

import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files shared with PyTorch: ones written by {@code tools/interop/make_torch_*.py} are read here, and the files
 * this test writes to {@code target/interop/} are checked by hand with {@code tools/interop/check_nn4j_file.py}.
 */
class SafetensorsInteropTest {
    static final Path OUT = Path.of("target", "interop");

    static SafetensorsFile resource(String name) {
        String path = "/golden/io/" + name;
        try (InputStream in = SafetensorsInteropTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing " + path + "; run tools/interop/make_torch_*.py");
            return Safetensors.read(in, "resource " + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code relu(x·W0ᵀ + b0)·W2ᵀ + b2}: the forward pass of nn.Sequential(Linear, ReLU, Linear). */
    static Tensor mlp(Map<String, Tensor> s, Tensor x) {
        Tensor h = x.matmul(s.get("0.weight").t()).add(s.get("0.bias")).relu();
        return h.matmul(s.get("2.weight").t()).add(s.get("2.bias"));
    }

    @Test
    void torchMlpFileGivesPyTorchsLogits() {
        SafetensorsFile f = resource("torch_mlp.safetensors");
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(f.tensors().keySet()));
        assertEquals("pt", f.metadata().get("format"));
        Golden g = Golden.load("io/torch_mlp");
        g.assertClose("logits", mlp(f.tensors(), g.tensor("x")), 1e-5, 0);
    }

    @Test
    void everyTorchDtypeConvertsAsPyTorchConvertsIt() {
        SafetensorsFile f = resource("torch_dtypes.safetensors");
        Golden g = Golden.load("io/torch_dtypes");
        assertEquals(g.names(), List.copyOf(f.tensors().keySet()));
        for (String name : g.names()) g.assertClose(name, f.tensor(name), 0, 0);
    }

    @Test
    void writesFilesForThePythonChecker() throws IOException {
        Files.createDirectories(OUT);
        // The torch MLP rewritten by nn4j: check_nn4j_file.py --mlp loads it into PyTorch.
        SafetensorsFile torch = resource("torch_mlp.safetensors");
        Path mlp = OUT.resolve("nn4j_mlp.safetensors");
        Safetensors.write(mlp, torch.tensors(), Map.of("writer", "nn4j SafetensorsInteropTest"));
        Golden g = Golden.load("io/torch_mlp");
        g.assertClose("logits", mlp(Safetensors.read(mlp).tensors(), g.tensor("x")), 1e-5, 0);
        try (InputStream json = SafetensorsInteropTest.class.getResourceAsStream("/golden/io/torch_mlp.json")) {
            Files.copy(json, OUT.resolve("nn4j_mlp.json"), StandardCopyOption.REPLACE_EXISTING);
        }

        // Many shapes and special values, with the expected values as a golden-format JSON written by nn4j's writer.
        Map<String, Tensor> tensors = SafetensorsTest.manyShapes();
        Path file = OUT.resolve("nn4j_tensors.safetensors");
        Safetensors.write(file, tensors, SafetensorsTest.unicodeMetadata());
        Files.writeString(OUT.resolve("nn4j_tensors.json"), golden(tensors).write());
        SafetensorsTest.assertSameTensors(tensors, Safetensors.read(file).tensors());
    }

    /** {@code {"meta": {}, "tensors": {name: {"shape": [...], "data": [...]}}}} as tools/goldens/common.py writes. */
    static Json golden(Map<String, Tensor> tensors) {
        Map<String, Json> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            List<Json> shape = new ArrayList<>(), data = new ArrayList<>();
            for (int d : t.shape()) shape.add(Json.of(d));
            for (float v : t.toFloatArray()) {
                data.add(Float.isNaN(v) ? Json.of("nan") : Float.isInfinite(v) ? Json.of(v > 0 ? "inf" : "-inf") : Json.of((double) v));
            }
            out.put(name, new Json.Obj(Map.of("shape", new Json.Arr(shape), "data", new Json.Arr(data))));
        });
        return new Json.Obj(Map.of("meta", new Json.Obj(Map.of()), "tensors", new Json.Obj(out)));
    }
}
