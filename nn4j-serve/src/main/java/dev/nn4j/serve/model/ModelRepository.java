package dev.nn4j.serve.model;

import dev.nn4j.serve.RequestObserver;
import dev.nn4j.serve.ServeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The served models by name and version, with hot reload.
 *
 * <p><b>Versions.</b> {@code name=dir} serves every {@code <version>.safetensors} in {@code dir} as that version
 * (a file that appears later becomes a new version); {@code name=file} repeated serves the files as versions 1, 2, …
 * in the order given. The latest version (numerically greatest, else lexically) answers requests that name none.
 *
 * <p><b>Reload.</b> {@link #reload} (and the file watcher, every {@code pollMs}) loads each changed file; a file that
 * loads and passes a forward pass on zeros replaces the old model in one atomic swap, and the old model's batcher
 * finishes the requests already queued on it. A file that fails to load is reported and the old model keeps serving.
 * A version whose file disappears keeps serving until restart.
 */
public final class ModelRepository implements AutoCloseable {
    /** Numeric versions in numeric order, before any non-numeric ones in lexical order. */
    public static final Comparator<String> VERSION_ORDER = (a, b) -> {
        boolean na = numeric(a), nb = numeric(b);
        if (na && nb) return Long.compare(Long.parseLong(a), Long.parseLong(b));
        if (na != nb) return na ? -1 : 1;
        return a.compareTo(b);
    };
    private static final String SUFFIX = ".safetensors";

    /** 1 to 18 ASCII digits (a version that fits a long). A loop, not a regex: every request's lookup compares versions. */
    private static boolean numeric(String s) {
        if (s.isEmpty() || s.length() > 18) return false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    /** What one reload did: versions newly loaded, and failures by version (their old models keep serving). */
    public record ReloadResult(List<String> loaded, Map<String, String> failed) {}

    private record FileStamp(long size, long modified, Object key) {
        static FileStamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static final class Slot {
        final String version;
        final Path file;
        volatile LoadedModel current;
        FileStamp loaded, failed;

        Slot(String version, Path file) {
            this.version = version;
            this.file = file;
        }
    }

    private static final class Entry {
        final String name;
        final Path directory; // null for file sources
        final ConcurrentSkipListMap<String, Slot> versions = new ConcurrentSkipListMap<>(VERSION_ORDER);

        Entry(String name, Path directory) {
            this.name = name;
            this.directory = directory;
        }
    }

    private final Map<String, Entry> models = new LinkedHashMap<>();
    private final BatchSettings batching;
    private final RequestObserver observer;
    private final ScheduledExecutorService watcher;

    /**
     * Loads every source; any file that fails to load stops the start with a message naming it.
     *
     * @param pollMs how often to look for changed files; 0 for never
     */
    public ModelRepository(List<ModelSource> sources, BatchSettings batching, RequestObserver observer, long pollMs) {
        if (sources.isEmpty()) throw new IllegalArgumentException("no models to serve: give at least one --model NAME=PATH");
        this.batching = batching;
        this.observer = observer;
        Map<String, List<ModelSource>> byName = new LinkedHashMap<>();
        for (ModelSource s : sources) byName.computeIfAbsent(s.name(), _ -> new ArrayList<>()).add(s);
        try {
            byName.forEach((name, list) -> {
                boolean dir = Files.isDirectory(list.getFirst().path());
                if (dir && list.size() > 1) {
                    throw new IllegalArgumentException("model " + name + " is given " + list.size() + " times with a directory "
                            + list.getFirst().path() + "; give a directory of versions once, or files repeatedly");
                }
                Entry entry = new Entry(name, dir ? list.getFirst().path() : null);
                if (dir) {
                    for (Map.Entry<String, Path> v : scan(entry.directory).entrySet()) entry.versions.put(v.getKey(), new Slot(v.getKey(), v.getValue()));
                    if (entry.versions.isEmpty()) throw new IllegalArgumentException("model " + name + ": directory " + entry.directory + " has no <version>" + SUFFIX + " files");
                } else {
                    for (int i = 0; i < list.size(); i++) {
                        Path file = list.get(i).path();
                        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("model " + name + ": no such file or directory: " + file);
                        entry.versions.put(Integer.toString(i + 1), new Slot(Integer.toString(i + 1), file));
                    }
                }
                models.put(name, entry);
                for (Slot slot : entry.versions.values()) {
                    String error = load(entry, slot);
                    if (error != null) throw new IllegalArgumentException("model " + name + " version " + slot.version + ": " + error);
                }
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (pollMs > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("nn4j-model-watcher").factory());
            watcher.scheduleWithFixedDelay(this::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
        } else {
            watcher = null;
        }
    }

    /** {@code <version>.safetensors} files of {@code dir} by version. */
    private static Map<String, Path> scan(Path dir) {
        Map<String, Path> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (!n.endsWith(SUFFIX) || !Files.isRegularFile(f)) continue;
                String version = n.substring(0, n.length() - SUFFIX.length());
                if (version.matches("[A-Za-z0-9._-]+")) found.put(version, f);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list model directory " + dir + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** Loads the slot's file and swaps it in; the error message, or null on success. Callers hold the entry's lock. */
    private String load(Entry entry, Slot slot) {
        FileStamp stamp = FileStamp.of(slot.file);
        long start = System.nanoTime();
        LoadedModel fresh;
        try {
            fresh = LoadedModel.load(entry.name, slot.version, slot.file, batching,
                    (rows, requests, nanos) -> observer.batch(entry.name, slot.version, rows, requests, nanos));
        } catch (RuntimeException e) {
            slot.failed = stamp;
            observer.modelLoaded(entry.name, slot.version, System.nanoTime() - start, e);
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
        LoadedModel old = slot.current;
        slot.current = fresh; // the swap: requests that resolve from now on get the new model
        slot.loaded = stamp;
        slot.failed = null;
        if (old != null) old.batcher().close(); // finishes what was queued on the old model
        observer.modelLoaded(entry.name, slot.version, System.nanoTime() - start, null);
        return null;
    }

    /**
     * The model {@code name} at {@code version}, or at its latest version when {@code version} is null.
     *
     * @throws ServeException 404 for an unknown model or version
     */
    public LoadedModel resolve(String name, String version) {
        Entry entry = models.get(name);
        if (entry == null) throw new ServeException(404, "unknown model '" + name + "'; served models: " + String.join(", ", models.keySet()));
        LoadedModel model = null;
        if (version == null) {
            for (Slot s : entry.versions.descendingMap().values()) if ((model = s.current) != null) break;
        } else {
            Slot slot = entry.versions.get(version);
            model = slot == null ? null : slot.current;
        }
        if (model == null) {
            throw new ServeException(404, "model '" + name + "' has no version '" + version + "'; versions: " + String.join(", ", versions(name)));
        }
        return model;
    }

    /** Names of the served models, in the order given. */
    public List<String> names() {
        return List.copyOf(models.keySet());
    }

    /** Versions of {@code name} in {@link #VERSION_ORDER}; 404 for an unknown model. */
    public List<String> versions(String name) {
        Entry entry = models.get(name);
        if (entry == null) throw new ServeException(404, "unknown model '" + name + "'; served models: " + String.join(", ", models.keySet()));
        // a version whose file appeared but never loaded is not served
        return entry.versions.values().stream().filter(s -> s.current != null).map(s -> s.version).toList();
    }

    /**
     * Reloads model {@code name}: a directory is scanned for new versions, and each file that changed since it was
     * loaded (every file when {@code force}) is loaded and swapped in.
     *
     * @throws ServeException 404 for an unknown model
     */
    public ReloadResult reload(String name, boolean force) {
        Entry entry = models.get(name);
        if (entry == null) throw new ServeException(404, "unknown model '" + name + "'; served models: " + String.join(", ", models.keySet()));
        synchronized (entry) {
            if (entry.directory != null) {
                for (Map.Entry<String, Path> v : scan(entry.directory).entrySet()) {
                    entry.versions.computeIfAbsent(v.getKey(), k -> new Slot(k, v.getValue()));
                }
            }
            List<String> loaded = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            for (Slot slot : entry.versions.values()) {
                FileStamp now = FileStamp.of(slot.file);
                if (now == null) {
                    if (force) failed.put(slot.version, "file " + slot.file + " is gone; the loaded model keeps serving");
                    continue;
                }
                boolean changed = slot.current == null || !now.equals(slot.loaded);
                if (!force && (!changed || now.equals(slot.failed))) continue;
                String error = load(entry, slot);
                if (error == null) loaded.add(slot.version);
                else failed.put(slot.version, error);
            }
            return new ReloadResult(loaded, failed);
        }
    }

    private void poll() {
        for (String name : models.keySet()) {
            try {
                reload(name, false);
            } catch (RuntimeException e) {
                observer.modelLoaded(name, null, 0, e);
            }
        }
    }

    /** Stops watching files and closes every batcher; queued requests still finish. */
    @Override
    public void close() {
        if (watcher != null) watcher.shutdownNow();
        for (Entry e : models.values()) {
            for (Slot s : e.versions.values()) if (s.current != null) s.current.batcher().close();
        }
    }

    /** Waits up to {@code millis} in total for every batcher to finish its queue after {@link #close()}. */
    public void awaitDrained(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Entry e : models.values()) {
            for (Slot s : e.versions.values()) {
                if (s.current != null) s.current.batcher().awaitDrained(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
    }
}
