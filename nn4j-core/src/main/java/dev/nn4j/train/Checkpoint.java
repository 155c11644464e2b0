package dev.nn4j.train;

import dev.nn4j.io.Json;
import dev.nn4j.io.Safetensors;
import dev.nn4j.io.SafetensorsFile;
import dev.nn4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A resume checkpoint: everything a {@link Trainer} needs to continue a run exactly where it stopped, in one
 * directory. Not a model file for users (that is {@link ModelCheckpoint}); this holds the run.
 * <pre>
 * checkpoint.json               {"format": "nn4j-checkpoint-1", "epoch": 2, "step": 40, "generator_state": …,
 *                                "model": "model-e0002.safetensors", "optimizer": "optimizer-e0002.safetensors",
 *                                "state": "trainer-e0002.safetensors", "history": [{"epoch": 1, "train_loss": …}, …]}
 * model-e0002.safetensors       the model's state dict
 * optimizer-e0002.safetensors   the optimizer's state dict
 * trainer-e0002.safetensors     scheduler.*, plateau.* (schedule state dicts), callbacks.&lt;Name&gt;.* (callback state)
 * </pre>
 * Each file is written atomically, the tensors first and {@code checkpoint.json} last: the JSON names the files
 * of its epoch, so renaming it into place commits the whole checkpoint, and an interruption at any moment leaves
 * the previous checkpoint readable. Files of other epochs are deleted after the commit.
 *
 * <p>Callbacks are named by their simple class name, with {@code #2}, {@code #3} … for repeats of one class,
 * so a resumed trainer must add the same kinds of callbacks in the same order.
 */
public final class Checkpoint {
    public static final String FORMAT = "nn4j-checkpoint-1", JSON = "checkpoint.json";
    private static final Pattern EPOCH_FILE = Pattern.compile("(model|optimizer|trainer)-e\\d+\\.safetensors");

    private Checkpoint() {}

    /** True when {@code dir} holds a checkpoint. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(JSON));
    }

    /** The epoch the checkpoint in {@code dir} was written after. */
    public static int epoch(Path dir) {
        return (int) integer(readJson(dir), "epoch", dir);
    }

    /** Writes {@code trainer}'s run into {@code dir} (created if needed). */
    public static void save(Path dir, Trainer trainer) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + dir + ": " + e, e);
        }
        String tag = String.format("e%04d", trainer.epoch());
        String modelFile = "model-" + tag + ".safetensors", optimizerFile = "optimizer-" + tag + ".safetensors",
                stateFile = "trainer-" + tag + ".safetensors";

        Map<String, Tensor> state = new LinkedHashMap<>();
        if (trainer.scheduler() != null) trainer.scheduler().stateDict().forEach((k, v) -> state.put("scheduler." + k, v));
        if (trainer.plateau() != null) trainer.plateau().stateDict().forEach((k, v) -> state.put("plateau." + k, v));
        List<String> names = callbackNames(trainer.callbackList());
        for (int i = 0; i < names.size(); i++) {
            String prefix = "callbacks." + names.get(i) + ".";
            trainer.callbackList().get(i).stateDict().forEach((k, v) -> state.put(prefix + k, v));
        }
        Safetensors.write(dir.resolve(modelFile), trainer.model().stateDict());
        Safetensors.write(dir.resolve(optimizerFile), trainer.optimizer().stateDict());
        Safetensors.write(dir.resolve(stateFile), state);

        Map<String, Json> doc = new LinkedHashMap<>();
        doc.put("format", Json.of(FORMAT));
        doc.put("epoch", Json.of(trainer.epoch()));
        doc.put("step", Json.of(trainer.step()));
        doc.put("generator_state", Json.of(trainer.generator().state()));
        doc.put("model", Json.of(modelFile));
        doc.put("optimizer", Json.of(optimizerFile));
        doc.put("state", Json.of(stateFile));
        List<Json> epochs = new ArrayList<>();
        for (History.Epoch e : trainer.history().epochs()) {
            Map<String, Json> row = new LinkedHashMap<>();
            row.put("epoch", Json.of(e.epoch()));
            e.metrics().forEach((k, v) -> row.put(k, Double.isFinite(v) ? Json.of(v) : new Json.Null()));   // NaN/Inf: null
            epochs.add(new Json.Obj(row));
        }
        doc.put("history", new Json.Arr(epochs));
        AtomicFile.writeString(dir.resolve(JSON), new Json.Obj(doc).write() + "\n");   // the commit

        Set<String> current = Set.of(modelFile, optimizerFile, stateFile);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (EPOCH_FILE.matcher(name).matches() && !current.contains(name)) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove old checkpoint files in " + dir + ": " + e, e);
        }
    }

    /**
     * Restores the run in {@code dir} into {@code trainer}: model weights, optimizer state, schedule states, callback
     * states, epoch, step, history, and last the generator state. The trainer must be configured as the run that
     * wrote it (same architecture, optimizer kind, schedules and callbacks); any mismatch is an error naming it.
     */
    public static void load(Path dir, Trainer trainer) {
        Json.Obj doc = readJson(dir);
        Json format = doc.get("format");
        if (!(format instanceof Json.Str s) || !s.value().equals(FORMAT)) {
            throw new IllegalArgumentException("checkpoint " + dir.resolve(JSON) + ": format is " + (format == null ? "missing" : format.write())
                    + " but expected \"" + FORMAT + "\"");
        }
        int epoch = (int) integer(doc, "epoch", dir);
        long step = integer(doc, "step", dir), generatorState = integer(doc, "generator_state", dir);
        List<History.Epoch> history = history(doc, dir);
        Map<String, Tensor> model = tensors(dir, doc, "model"), optimizer = tensors(dir, doc, "optimizer"), state = tensors(dir, doc, "state");

        // split the trainer state by owner, and check that every owner exists on both sides
        Map<String, Map<String, Tensor>> parts = new HashMap<>();
        for (var e : state.entrySet()) {
            String key = e.getKey();
            String owner = key.startsWith("callbacks.") ? key.substring(0, key.indexOf('.', "callbacks.".length()) + 1) : key.substring(0, key.indexOf('.') + 1);
            parts.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(key.substring(owner.length()), e.getValue());
        }
        checkOwner(dir, parts, "scheduler.", trainer.scheduler() != null, "an LrScheduler");
        checkOwner(dir, parts, "plateau.", trainer.plateau() != null, "a ReduceLROnPlateau");
        List<String> names = callbackNames(trainer.callbackList());
        for (String owner : parts.keySet()) {
            if (owner.startsWith("callbacks.") && !names.contains(owner.substring("callbacks.".length(), owner.length() - 1))) {
                throw new IllegalArgumentException("checkpoint " + dir + " holds state of callback '" + owner.substring(10, owner.length() - 1)
                        + "' but the trainer's callbacks are " + names + "; add the same callbacks as the run that wrote it");
            }
        }
        try {
            trainer.model().loadStateDict(model);
            trainer.optimizer().loadStateDict(optimizer);
            if (trainer.scheduler() != null) trainer.scheduler().loadStateDict(parts.get("scheduler."));
            if (trainer.plateau() != null) trainer.plateau().loadStateDict(parts.get("plateau."));
            for (int i = 0; i < names.size(); i++) {
                trainer.callbackList().get(i).loadStateDict(parts.getOrDefault("callbacks." + names.get(i) + ".", Map.of()));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + dir + " does not match this trainer: " + e.getMessage(), e);
        }
        trainer.restore(epoch, step, history);
        trainer.generator().setState(generatorState);
    }

    /** The names callback state is saved under: simple class names, {@code #n} for the n-th of a kind. */
    static List<String> callbackNames(List<Callback> callbacks) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Callback c : callbacks) {
            String base = c.getClass().getSimpleName().isEmpty() ? "Callback" : c.getClass().getSimpleName();
            int n = seen.merge(base, 1, Integer::sum);
            out.add(n == 1 ? base : base + "#" + n);
        }
        return out;
    }

    private static void checkOwner(Path dir, Map<String, Map<String, Tensor>> parts, String owner, boolean configured, String what) {
        if (parts.containsKey(owner) != configured) {
            throw new IllegalArgumentException("checkpoint " + dir + (configured ? " has no " : " has ") + "state for " + what + " but the trainer "
                    + (configured ? "has one" : "has none") + "; configure the trainer as the run that wrote it");
        }
    }

    private static Json.Obj readJson(Path dir) {
        Path file = dir.resolve(JSON);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no checkpoint in " + dir + ": " + JSON + " is missing");
        }
        try {
            Json json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!(json instanceof Json.Obj obj)) throw new IllegalArgumentException("checkpoint " + file + " must hold a JSON object but holds " + json.typeName());
            return obj;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e, e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage().startsWith("checkpoint")) throw e;
            throw new IllegalArgumentException("checkpoint " + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static long integer(Json.Obj doc, String key, Path dir) {
        if (doc.get(key) instanceof Json.Num n && n.isInteger()) return n.longValue();
        throw new IllegalArgumentException("checkpoint " + dir.resolve(JSON) + ": \"" + key + "\" must be an integer but is "
                + (doc.get(key) == null ? "missing" : doc.get(key).write()));
    }

    private static Map<String, Tensor> tensors(Path dir, Json.Obj doc, String key) {
        if (!(doc.get(key) instanceof Json.Str name) || name.value().contains("/") || name.value().contains("\\")) {
            throw new IllegalArgumentException("checkpoint " + dir.resolve(JSON) + ": \"" + key + "\" must name a file in the checkpoint directory but is "
                    + (doc.get(key) == null ? "missing" : doc.get(key).write()));
        }
        Path file = dir.resolve(name.value());
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("checkpoint " + dir + ": " + name.value() + " (the " + key + " state) is missing");
        SafetensorsFile f = Safetensors.read(file);
        return f.tensors();
    }

    private static List<History.Epoch> history(Json.Obj doc, Path dir) {
        if (!(doc.get("history") instanceof Json.Arr arr)) throw new IllegalArgumentException("checkpoint " + dir.resolve(JSON) + ": \"history\" must be an array");
        List<History.Epoch> out = new ArrayList<>();
        for (Json item : arr.items()) {
            if (!(item instanceof Json.Obj row) || !(row.get("epoch") instanceof Json.Num)) {
                throw new IllegalArgumentException("checkpoint " + dir.resolve(JSON) + ": history entry " + item.write() + " must be an object with an \"epoch\"");
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            row.members().forEach((k, v) -> {
                if (k.equals("epoch")) return;
                if (v instanceof Json.Null) metrics.put(k, Double.NaN);
                else if (!(v instanceof Json.Num n)) throw new IllegalArgumentException("checkpoint " + dir.resolve(JSON) + ": history metric " + k + " must be a number but is " + v.write());
                else metrics.put(k, n.doubleValue());
            });
            out.add(new History.Epoch((int) ((Json.Num) row.get("epoch")).longValue(), metrics));
        }
        return out;
    }
}
