package dev.nn4j.cli;

import dev.nn4j.io.Json;
import dev.nn4j.train.ConfusionMatrix;
import dev.nn4j.train.Evaluation;
import dev.nn4j.train.History;
import dev.nn4j.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human- and machine-readable results of a run: {@code report.md} (recipe, per-epoch table, test metrics,
 * per-class table, confusion matrix), {@code report.json} (the same numbers), {@code curves.png} and
 * {@code confusion.png}.
 */
final class RunReport {
    private RunReport() {}

    static void write(Path dir, History history, Evaluation test, List<String> classes, Map<String, String> info) {
        List<EpochRow> rows = new ArrayList<>();
        for (History.Epoch e : history.epochs()) {
            Map<String, Double> m = e.metrics();
            rows.add(new EpochRow(e.epoch(), m.get(Trainer.TRAIN_LOSS), m.getOrDefault(Trainer.TRAIN_ACCURACY, 0.0),
                    m.get(Trainer.VAL_LOSS), m.get(Trainer.VAL_ACCURACY)));
        }
        if (!rows.isEmpty()) Plots.trainingCurves(dir.resolve("curves.png"), rows);
        ConfusionMatrix cm = test.confusion();
        if (cm != null) Plots.confusionMatrix(dir.resolve("confusion.png"), toInts(cm.counts()), classes);
        writeAtomically(dir.resolve("report.md"), markdown(history, test, classes, info));
        writeAtomically(dir.resolve("report.json"), json(history, test, classes, info) + "\n");
    }

    static String markdown(History history, Evaluation test, List<String> classes, Map<String, String> info) {
        StringBuilder md = new StringBuilder("# nn4j training report\n\n");
        md.append("- dataset: ").append(info.get("dataset")).append('\n');
        md.append("- recipe: `").append(info.get("recipe")).append("`\n");
        if (history.stopped()) md.append("- stopped early: ").append(history.stopReason()).append('\n');
        md.append(String.format(Locale.ROOT, "- **test accuracy %.2f%%**, test loss %.4f, %d examples%n%n", 100 * test.accuracy(), test.loss(), test.samples()));
        md.append("| epoch | train loss | train acc | val loss | val acc | lr | seconds |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (History.Epoch e : history.epochs()) {
            Map<String, Double> m = e.metrics();
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n", e.epoch(), num(m.get(Trainer.TRAIN_LOSS), "%.4f"),
                    pct(m.get(Trainer.TRAIN_ACCURACY)), num(m.get(Trainer.VAL_LOSS), "%.4f"), pct(m.get(Trainer.VAL_ACCURACY)),
                    num(m.get(Trainer.LR), "%.3g"), num(m.get(Trainer.SECONDS), "%.1f")));
        }
        if (test.confusion() != null) {
            md.append("\n## Per-class metrics on the test split\n\n```\n").append(test.confusion().table(classes)).append("```\n");
            md.append("\n## Confusion matrix (rows: true class, columns: predicted)\n\n```\n").append(test.confusion().toString(classes)).append("```\n");
        }
        md.append("\nPlots: `curves.png`, `confusion.png`. Logs: `metrics.csv`, `metrics.jsonl`, `events.out.tfevents.*` (TensorBoard).\n");
        return md.toString();
    }

    static String json(History history, Evaluation test, List<String> classes, Map<String, String> info) {
        Map<String, Json> o = new LinkedHashMap<>();
        o.put("dataset", Json.of(info.get("dataset")));
        o.put("model", Json.of(info.get("model")));
        o.put("parameters", Json.of(Long.parseLong(info.get("parameters"))));
        o.put("seed", Json.of(Long.parseLong(info.get("seed"))));
        o.put("recipe", Json.of(info.get("recipe")));
        o.put("test_loss", Json.of(test.loss()));
        o.put("test_accuracy", Json.of(test.accuracy()));
        o.put("test_samples", Json.of(test.samples()));
        o.put("train_seconds", Json.of(Double.parseDouble(info.get("train_seconds"))));
        if (history.stopped()) o.put("stopped", Json.of(history.stopReason()));
        List<Json> epochs = new ArrayList<>();
        for (History.Epoch e : history.epochs()) {
            Map<String, Json> m = new LinkedHashMap<>();
            m.put("epoch", Json.of(e.epoch()));
            e.metrics().forEach((k, v) -> {
                if (Double.isFinite(v)) m.put(k, Json.of(v));
            });
            epochs.add(new Json.Obj(m));
        }
        o.put("epochs", new Json.Arr(epochs));
        if (test.confusion() != null) o.putAll(EvalCommand.classMetrics(test.confusion(), classes));
        return new Json.Obj(o).write();
    }

    private static String num(Double v, String fmt) {
        return v == null ? "" : String.format(Locale.ROOT, fmt, v);
    }

    private static String pct(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static int[][] toInts(long[][] counts) {
        int[][] m = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            m[i] = new int[counts[i].length];
            for (int j = 0; j < counts[i].length; j++) m[i][j] = Math.toIntExact(counts[i][j]);
        }
        return m;
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
