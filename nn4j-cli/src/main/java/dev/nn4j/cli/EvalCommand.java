package dev.nn4j.cli;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.Batch;
import dev.nn4j.data.DataLoader;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.data.sets.TrainTest;
import dev.nn4j.io.Json;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Module;
import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;
import dev.nn4j.train.ConfusionMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nn4j eval}: loss, accuracy, per-class metrics and the confusion matrix of a model file on a dataset split. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model file on a dataset split: loss, accuracy, per-class table and confusion matrix.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "test", description = "test or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Override
    public Integer call() {
        if (!split.equals("test") && !split.equals("train")) throw new IllegalArgumentException("--split must be test or train but was '" + split + "'");
        ModelOption.Loaded loaded = model.load();
        TrainTest sets = data.load(true);
        TensorDataset dataset = split.equals("test") ? sets.test() : sets.train();
        int[] want = loaded.inputShape(), have = Arrays.copyOfRange(dataset.inputs().shape(), 1, dataset.inputs().dim());
        if (want != null && !Arrays.equals(want, have)) {
            // the built-in datasets load flat; image models ([1, 28, 28]) take the same values channels first
            if (Shape.numel(want) != Shape.numel(have)) {
                throw new IllegalArgumentException("the model expects inputs of shape " + Arrays.toString(want) + " but " + data.dataset
                        + " has inputs of shape " + Arrays.toString(have));
            }
            int[] shape = new int[want.length + 1];
            shape[0] = dataset.size();
            System.arraycopy(want, 0, shape, 1, want.length);
            dataset = new TensorDataset(dataset.inputs().reshape(shape), dataset.targets(), dataset.classes());
        }
        Module net = loaded.model().model();
        int classes = Math.max(loaded.classes().size(), sets.classes().size());
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        double lossSum = 0;
        try (var _ = NoGrad.enter()) {
            for (Batch b : new DataLoader(loaded.preprocessing().applyTo(dataset), 1000)) {
                Tensor scores = net.forward(b.inputs());
                lossSum += lossFn.forward(scores, b.targets()).item() * b.size();
                cm.add(scores, b.targets());
            }
        }
        double loss = lossSum / dataset.size(), accuracy = cm.accuracy();
        List<String> names = loaded.classes().isEmpty() ? sets.classes() : loaded.classes();
        if (json) {
            Map<String, Json> o = new LinkedHashMap<>();
            o.put("model", Json.of(model.file.toString()));
            o.put("dataset", Json.of(data.dataset));
            o.put("split", Json.of(split));
            o.put("samples", Json.of(dataset.size()));
            o.put("loss", Json.of(loss));
            o.put("accuracy", Json.of(accuracy));
            o.putAll(classMetrics(cm, names));
            System.out.println(new Json.Obj(o).write());
        } else {
            System.out.printf(Locale.ROOT, "%s on %s (%s split, %d examples): loss %.4f, accuracy %.2f%%%n%n",
                    model.file, data.dataset, split, dataset.size(), loss, 100 * accuracy);
            System.out.println(cm.table(names));
            System.out.println("confusion matrix (rows: true class, columns: predicted):");
            System.out.println(cm.toString(names));
        }
        return 0;
    }

    /** Per-class precision/recall/F1/support, their macro averages and the confusion matrix, as JSON members. */
    static Map<String, Json> classMetrics(ConfusionMatrix cm, List<String> names) {
        Map<String, Json> o = new LinkedHashMap<>();
        o.put("macro_precision", Json.of(cm.macroPrecision()));
        o.put("macro_recall", Json.of(cm.macroRecall()));
        o.put("macro_f1", Json.of(cm.macroF1()));
        Map<String, Json> perClass = new LinkedHashMap<>();
        for (int c = 0; c < cm.numClasses(); c++) {
            Map<String, Json> m = new LinkedHashMap<>();
            m.put("precision", Json.of(cm.precision(c)));
            m.put("recall", Json.of(cm.recall(c)));
            m.put("f1", Json.of(cm.f1(c)));
            m.put("support", Json.of(cm.support(c)));
            perClass.put(c < names.size() ? names.get(c) : Integer.toString(c), new Json.Obj(m));
        }
        o.put("per_class", new Json.Obj(perClass));
        List<Json> rows = new ArrayList<>();
        for (long[] row : cm.counts()) {
            List<Json> cells = new ArrayList<>();
            for (long v : row) cells.add(Json.of(v));
            rows.add(new Json.Arr(cells));
        }
        o.put("confusion_matrix", new Json.Arr(rows));
        return o;
    }
}
