package dev.nn4j;

import dev.nn4j.io.ModelFile;
import dev.nn4j.io.ModelFileException;
import dev.nn4j.io.Safetensors;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.loss.MSELoss;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.ClipGrad;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad inputs a user meets first, across the stack, each with the error it must give: wrong shapes, wrong
 * dtypes, corrupt model files and NaN values. Each area's own tests hold the exhaustive tables; this one
 * checks the user-facing entry points end to end.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    record Row(String what, Class<? extends Throwable> type, Executable action, String... fragments) {}

    private static Path file(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** A safetensors file with one tensor {@code w} of the given dtype, shape and data size. */
    private static byte[] safetensors(String dtype, int dataBytes) {
        byte[] header = ("{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[2],\"data_offsets\":[0," + dataBytes + "]}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return b.array();
    }

    @Test
    void everyBadInputGivesItsError() throws IOException {
        var mlp = new Sequential(new Linear(784, 16), new ReLU(), new Linear(16, 10));
        Path model = dir.resolve("mlp.safetensors");
        ModelFile.save(model, mlp, Map.of());
        byte[] good = Files.readAllBytes(model);
        Path truncated = file("truncated.safetensors", Arrays.copyOf(good, good.length - 100));
        Path notSafetensors = file("notes.safetensors", "just some text, not a model".getBytes(StandardCharsets.UTF_8));
        Path float8 = file("f8.safetensors", safetensors("F8_E4M3", 2));

        Tensor nanGrad = Tensor.zeros(3).requiresGrad(true);
        nanGrad.setGrad(Tensor.of(1f, Float.NaN, 2f));

        List<Row> table = List.of(
                // wrong shapes
                new Row("image batch not flattened", IllegalArgumentException.class, () -> mlp.forward(Tensor.zeros(32, 28, 28)),
                        "Linear expects last dimension 784 (inFeatures) but input shape is [32, 28, 28]", "Flatten"),
                new Row("targets of another batch size", IllegalArgumentException.class,
                        () -> new CrossEntropyLoss().forward(Tensor.zeros(4, 10), Tensor.zeros(5)), "[4, 10]", "[5]"),
                new Row("regression target shape", IllegalArgumentException.class,
                        () -> new MSELoss().forward(Tensor.zeros(4, 1), Tensor.zeros(4)), "[4, 1]", "[4]"),
                new Row("matmul inner sizes", IllegalArgumentException.class,
                        () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]"),
                new Row("broadcast", IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(2)), "add", "[2, 3]", "[2]"),
                new Row("state dict of another architecture", IllegalArgumentException.class,
                        () -> new Sequential(new Linear(784, 32), new ReLU(), new Linear(32, 10)).loadStateDict(mlp.stateDict()),
                        "0.weight", "[16, 784]", "[32, 784]"),
                // wrong dtypes and values
                new Row("class index not an integer", IllegalArgumentException.class,
                        () -> new CrossEntropyLoss().forward(Tensor.zeros(2, 3), Tensor.of(0f, 1.5f)), "1.5"),
                new Row("class index out of range", IllegalArgumentException.class,
                        () -> new CrossEntropyLoss().forward(Tensor.zeros(2, 3), Tensor.of(0f, 3f)), "3", "C = 3"),
                new Row("unsupported tensor dtype in a file", ModelFileException.class, () -> Safetensors.read(float8), float8.toString(), "F8_E4M3"),
                // corrupt model files
                new Row("truncated model file", ModelFileException.class, () -> ModelFile.load(truncated), truncated.toString()),
                new Row("not a safetensors file", ModelFileException.class, () -> ModelFile.load(notSafetensors), notSafetensors.toString()),
                new Row("missing file", java.io.UncheckedIOException.class, () -> ModelFile.load(dir.resolve("absent.safetensors")), "absent.safetensors"),
                // NaN inputs
                new Row("NaN class index", IllegalArgumentException.class,
                        () -> new CrossEntropyLoss().forward(Tensor.zeros(2, 3), Tensor.of(0f, Float.NaN)), "NaN"),
                new Row("NaN gradients cannot be clipped", IllegalStateException.class,
                        () -> ClipGrad.clipGradNorm(List.of(nanGrad), 1.0, 2.0, true), "is NaN, so they cannot be clipped"),
                new Row("NaN learning rate", IllegalArgumentException.class, () -> new Adam(mlp.parameters(), Double.NaN), "lr"));

        assertAll(table.stream().map(row -> () -> {
            Throwable e = assertThrows(row.type(), row.action(), row.what());
            for (String f : row.fragments()) assertTrue(e.getMessage().contains(f), row.what() + ": '" + f + "' not in: " + e.getMessage());
        }));
    }

    @Test
    void nanLogitsGiveANanLossThatTheCallerCanSee() {
        // NaN is a value, not a shape error: it propagates so a training loop (or its NaN guard) can stop on it
        float loss = new CrossEntropyLoss().forward(Tensor.of(0f, Float.NaN, 1f).reshape(1, 3), Tensor.of(0f)).item();
        assertTrue(Float.isNaN(loss));
        assertEquals(Float.NaN, new Linear(2, 1).forward(Tensor.of(Float.NaN, 0f)).item());
    }
}
