package dev.nn4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the run's epoch metrics as CSV and/or JSON lines, one row per completed epoch:
 * <pre>
 * epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds
 * 1,0.4213,0.8817,0.2571,0.9255,0.001,3.1
 *
 * {"epoch":1,"train_loss":0.4213,"train_accuracy":0.8817,"val_loss":0.2571,"val_accuracy":0.9255,"lr":0.001,"seconds":3.1}
 * </pre>
 * The columns are {@code epoch} then every metric the run reports, in the trainer's order. Each file is rewritten
 * whole and atomically from the trainer's {@link History} after every epoch, so a resumed run continues the same
 * files without duplicated or missing rows, and a crash never leaves half a row. Values are float32 printed as
 * the shortest decimal that reads back exactly; a missing or non-finite value is an empty CSV cell or JSON
 * {@code null}.
 */
public final class MetricsLog implements Callback {
    private final Path csv, jsonLines;

    /**
     * @param csv       the CSV file, or null
     * @param jsonLines the JSON-lines file, or null (not both null)
     */
    public MetricsLog(Path csv, Path jsonLines) {
        if (csv == null && jsonLines == null) throw new IllegalArgumentException("MetricsLog: give a CSV file, a JSON-lines file or both");
        this.csv = csv;
        this.jsonLines = jsonLines;
    }

    /** Starts the files: header only for a new run, the checkpoint's rows for a resumed one. */
    @Override
    public void onTrainBegin(Trainer trainer) {
        write(trainer.history().epochs());
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {
        write(trainer.history().epochs());
    }

    private void write(List<History.Epoch> epochs) {
        Set<String> columns = new LinkedHashSet<>();
        for (History.Epoch e : epochs) columns.addAll(e.metrics().keySet());
        if (csv != null) AtomicFile.writeString(csv, csv(epochs, new ArrayList<>(columns)));
        if (jsonLines != null) AtomicFile.writeString(jsonLines, jsonLines(epochs));
    }

    static String csv(List<History.Epoch> epochs, List<String> columns) {
        StringBuilder sb = new StringBuilder("epoch");
        for (String c : columns) sb.append(',').append(c);
        sb.append('\n');
        for (History.Epoch e : epochs) {
            sb.append(e.epoch());
            for (String c : columns) {
                sb.append(',');
                Double v = e.metrics().get(c);
                if (v != null && Double.isFinite(v)) sb.append(number(v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String jsonLines(List<History.Epoch> epochs) {
        StringBuilder sb = new StringBuilder();
        for (History.Epoch e : epochs) {
            sb.append("{\"epoch\":").append(e.epoch());
            e.metrics().forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(Double.isFinite(v) ? number(v) : "null"));
            sb.append("}\n");
        }
        return sb.toString();
    }

    /** The shortest decimal of the float32 value, without a trailing ".0" for integers. */
    private static String number(double v) {
        String s = Float.toString((float) v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
