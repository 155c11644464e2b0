package dev.nn4j.serve.model;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.Preprocessing;
import dev.nn4j.io.ModelFile;
import dev.nn4j.nn.Inference;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.serve.batch.Batcher;
import dev.nn4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One version of one model as loaded from its file: the network (in eval mode, prepared by {@link Inference#prepare}),
 * the preprocessing stored with it, its class names and input shape, and the {@link Batcher} that runs it. Immutable
 * apart from its batcher; a reload makes a new one and closes the old one's batcher, which finishes what was queued.
 *
 * <p>Inputs are what the training data looked like before preprocessing (pixels in [0, 1] for the image datasets);
 * the stored {@link Preprocessing} is applied here, as {@code nn4j eval} and {@code nn4j predict} do.
 */
public final class LoadedModel {
    private final String name, version;
    private final Path file;
    private final Module module;
    private final Preprocessing preprocessing;
    private final String preprocessingJson;
    private final List<String> classes;
    private final int[] inputShape;
    private final int features, outputs;
    private final long loadNanos;
    private Batcher batcher;

    private LoadedModel(String name, String version, Path file, Module module, Preprocessing preprocessing, String preprocessingJson,
                        List<String> classes, int[] inputShape, int outputs, long loadNanos) {
        this.name = name;
        this.version = version;
        this.file = file;
        this.module = module;
        this.preprocessing = preprocessing;
        this.preprocessingJson = preprocessingJson;
        this.classes = classes;
        this.inputShape = inputShape;
        this.features = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        this.outputs = outputs;
        this.loadNanos = loadNanos;
    }

    /** Warm-up at load: at most this many forward passes, and no more than {@link #WARM_UP_NANOS} of them. */
    static final int WARM_UP_PASSES = 2000;
    static final long WARM_UP_NANOS = 2_000_000_000L;

    /**
     * Loads {@code file}, checks it with one forward pass on zeros, warms it up, and starts its batcher.
     *
     * <p>The warm-up runs the batcher's own forward pass (zeros, every batch size from 1 to {@code maxBatch} in turn, so
     * every kernel path a batch can take) until the JIT has
     * compiled its kernels, before the model is ready or swapped in by a reload: without it the first seconds of
     * traffic run the Vector API kernels interpreted (boxing every vector), which shows as a latency tail.
     *
     * @throws IllegalArgumentException (or {@link dev.nn4j.io.ModelFileException}) naming the file and the problem
     */
    public static LoadedModel load(String name, String version, Path file, BatchSettings batching, Batcher.BatchListener listener) {
        long start = System.nanoTime();
        ModelFile.Loaded loaded = ModelFile.load(file);
        Map<String, String> meta = loaded.metadata();
        String pre = meta.get(Preprocessing.METADATA_KEY);
        Preprocessing preprocessing = pre == null ? Preprocessing.none() : Preprocessing.fromJson(pre);
        int[] shape = inputShape(file, meta.get("input_shape"), loaded.model());
        int outputs;
        try (var _ = NoGrad.enter()) {
            int[] batchShape = new int[shape.length + 1];
            batchShape[0] = 1;
            System.arraycopy(shape, 0, batchShape, 1, shape.length);
            Tensor out = loaded.model().forward(preprocessing.apply(Tensor.zeros(batchShape)));
            if (out.shape().length != 2 || out.shape()[0] != 1) {
                throw new IllegalArgumentException(file + ": the model maps one input of shape " + Arrays.toString(batchShape)
                        + " to " + Arrays.toString(out.shape()) + ", not to [1, classes]; only classifiers can be served");
            }
            outputs = out.shape()[1];
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) throw e;
            throw new IllegalArgumentException(file + ": a forward pass on input shape [1, " + join(shape) + "] fails: " + e.getMessage(), e);
        }
        String classList = meta.get("classes");
        List<String> classes = new ArrayList<>();
        if (classList != null && !classList.isEmpty()) classes.addAll(List.of(classList.split(",")));
        if (classes.size() != outputs) {
            classes.clear();
            for (int c = 0; c < outputs; c++) classes.add(Integer.toString(c));
        }
        // prepared for inference: its Linear weights aligned to 64 bytes, the same outputs (batch-1 latency, see BENCHMARKS.md)
        Module prepared = Inference.prepare(loaded.model());
        LoadedModel model = new LoadedModel(name, version, file, prepared, preprocessing, pre, List.copyOf(classes), shape, outputs,
                System.nanoTime() - start);
        model.warmUp(batching.maxBatch());
        model.batcher = new Batcher(name + "-v" + version, model.features, batching.maxBatch(), batching.maxWaitNanos(),
                batching.maxQueueRows(), model::forward, listener);
        return model;
    }

    /** Input shape of one example from the {@code input_shape} metadata ({@code "[1, 28, 28]"}), else the first Linear's width. */
    private static int[] inputShape(Path file, String meta, Module model) {
        if (meta != null && !meta.isBlank()) {
            try {
                int[] shape = Arrays.stream(meta.replaceAll("[\\[\\] ]", "").split(",")).mapToInt(Integer::parseInt).toArray();
                for (int d : shape) if (d < 1) throw new NumberFormatException("dimension " + d);
                return shape;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": metadata input_shape '" + meta + "' is not a list of positive integers", e);
            }
        }
        for (Module m : model.namedModules().values()) {
            if (m instanceof Linear linear) return new int[]{linear.inFeatures()};
        }
        throw new IllegalArgumentException(file + ": no input_shape metadata and no Linear layer to infer it from; "
                + "save the model with metadata input_shape (nn4j train does)");
    }

    private static String join(int[] shape) {
        return Arrays.toString(shape).replaceAll("[\\[\\]]", "");
    }

    private void warmUp(int rows) {
        float[] zeros = new float[rows * features];
        long deadline = System.nanoTime() + WARM_UP_NANOS;
        // every batch size up to the largest, so that each kernel path a batch can take is compiled
        for (int pass = 0; pass < WARM_UP_PASSES && System.nanoTime() < deadline; pass++) forward(zeros, pass % rows + 1);
    }

    /** Preprocessing and forward pass on the first {@code rows} examples of {@code inputs}; the logits, {@code rows × outputs()}. */
    float[] forward(float[] inputs, int rows) {
        int[] batchShape = new int[inputShape.length + 1];
        batchShape[0] = rows;
        System.arraycopy(inputShape, 0, batchShape, 1, inputShape.length);
        try (var _ = NoGrad.enter()) {
            // one copy of the rows: inputs is the batcher's buffer, refilled for the next batch
            Tensor x = Tensor.share(Arrays.copyOf(inputs, rows * features), batchShape);
            return module.forward(preprocessing.apply(x)).toFloatArray();
        }
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public Path file() {
        return file;
    }

    /** Shape of one example, without the batch dimension. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Values per example. */
    public int features() {
        return features;
    }

    /** Number of classes (logits per example). */
    public int outputs() {
        return outputs;
    }

    public List<String> classes() {
        return classes;
    }

    /** The stored preprocessing as JSON, or {@code null} when the file has none. */
    public String preprocessingJson() {
        return preprocessingJson;
    }

    public long loadNanos() {
        return loadNanos;
    }

    public Batcher batcher() {
        return batcher;
    }

    @Override
    public String toString() {
        return name + " v" + version + " (" + file + ", input " + Arrays.toString(inputShape) + ", " + outputs + " classes)";
    }
}
