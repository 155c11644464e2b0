package dev.nn4j.data.sets;

import dev.nn4j.data.TensorDataset;
import dev.nn4j.tensor.Tensor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A classification (or regression) table from a CSV file ({@link Csv}, RFC 4180, UTF-8): a header row naming the
 * columns, one example per row, the target in a label column chosen by name and numeric features in the others
 * (all of them, or a chosen list, in that list's order).
 *
 * <p><b>Labels.</b> When every label is a number, the targets are those numbers; if they are all whole and
 * non-negative the classes are named "0" to the largest ({@code classes()}), otherwise there are none (a regression
 * target). When any label is not a number, every label is a class name: the distinct names sorted in
 * {@link String#compareTo} order (by UTF-16 code unit, as Python's {@code sorted} and scikit-learn's
 * {@code LabelEncoder}) get ids 0, 1, 2, … and {@code classes()} lists them in that order.
 *
 * <p><b>Errors</b> name the file, the line (the line a record starts on, counted from 1 at the header) and the
 * column: a feature that is not a finite decimal number, a row with the wrong number of fields, an empty label;
 * a missing column lists the available ones.
 *
 * <p><b>Shapes:</b> inputs {@code [N, F]}, targets {@code [N]}.
 */
public final class CsvDataset {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvDataset() {}

    /** Features are every column but the label. */
    public static TensorDataset load(Path file, String labelColumn) {
        return load(file, labelColumn, List.of());
    }

    /** Features are {@code featureColumns} in that order, or every column but the label when the list is empty. */
    public static TensorDataset load(Path file, String labelColumn, List<String> featureColumns) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString(), labelColumn, featureColumns);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV file " + file + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #load(Path, String, List)}, from a reader; {@code source} names it in errors. */
    public static TensorDataset read(Reader in, String source, String labelColumn, List<String> featureColumns) {
        List<Csv.Row> rows = Csv.read(in, source);
        if (rows.isEmpty()) throw new IllegalArgumentException(source + ": the file is empty; expected a header row naming the columns");
        List<String> header = rows.getFirst().fields();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (index.putIfAbsent(header.get(i), i) != null) {
                throw new IllegalArgumentException(source + ": line " + rows.getFirst().line() + ": column name '" + header.get(i) + "' appears twice");
            }
        }
        int label = column(index, labelColumn, "label", header, source);
        List<Integer> features = new ArrayList<>();
        if (featureColumns.isEmpty()) {
            for (int i = 0; i < header.size(); i++) if (i != label) features.add(i);
        } else {
            for (String f : featureColumns) {
                int c = column(index, f, "feature", header, source);
                if (c == label) throw new IllegalArgumentException(source + ": column '" + f + "' cannot be both the label and a feature");
                features.add(c);
            }
        }
        if (features.isEmpty()) throw new IllegalArgumentException(source + ": no feature columns: the only column is the label '" + labelColumn + "'");
        int n = rows.size() - 1, f = features.size();
        if (n == 0) throw new IllegalArgumentException(source + ": no data rows after the header");

        float[] x = new float[n * f];
        String[] labels = new String[n];
        for (int r = 0; r < n; r++) {
            Csv.Row row = rows.get(r + 1);
            if (row.fields().size() != header.size()) {
                throw new IllegalArgumentException(source + ": line " + row.line() + " has " + row.fields().size()
                        + " fields but the header has " + header.size());
            }
            for (int j = 0; j < f; j++) x[r * f + j] = number(row, features.get(j), header, source);
            labels[r] = row.fields().get(label);
            if (labels[r].isEmpty()) throw new IllegalArgumentException(source + ": line " + row.line() + ", column '" + labelColumn + "': the label is empty");
        }
        return targets(labels, Tensor.fromArray(x, n, f));
    }

    /** Numeric labels as they are; otherwise names mapped to ids in sorted order. */
    private static TensorDataset targets(String[] labels, Tensor inputs) {
        int n = labels.length;
        float[] y = new float[n];
        boolean numeric = true;
        for (String l : labels) numeric &= NUMBER.matcher(l.strip()).matches();
        if (numeric) {
            boolean classes = true;
            float max = 0;
            for (int i = 0; i < n; i++) {
                y[i] = Float.parseFloat(labels[i]);
                classes &= y[i] >= 0 && y[i] == Math.rint(y[i]) && y[i] < 1 << 20;
                max = Math.max(max, y[i]);
            }
            List<String> names = new ArrayList<>();
            if (classes) for (int c = 0; c <= (int) max; c++) names.add(String.valueOf(c));
            return new TensorDataset(inputs, Tensor.fromArray(y, n), names);
        }
        List<String> names = List.copyOf(new TreeSet<>(List.of(labels)));
        Map<String, Integer> id = new HashMap<>();
        for (int c = 0; c < names.size(); c++) id.put(names.get(c), c);
        for (int i = 0; i < n; i++) y[i] = id.get(labels[i]);
        return new TensorDataset(inputs, Tensor.fromArray(y, n), names);
    }

    private static int column(Map<String, Integer> index, String name, String role, List<String> header, String source) {
        Integer c = index.get(name);
        if (c == null) {
            throw new IllegalArgumentException(source + ": no " + role + " column '" + name + "'; the columns are: " + String.join(", ", header));
        }
        return c;
    }

    private static float number(Csv.Row row, int column, List<String> header, String source) {
        String s = row.fields().get(column).strip();
        if (NUMBER.matcher(s).matches()) {
            float v = Float.parseFloat(s);
            if (Float.isFinite(v)) return v;
        }
        throw new IllegalArgumentException(source + ": line " + row.line() + ", column '" + header.get(column) + "' (field " + (column + 1)
                + "): '" + row.fields().get(column) + "' is not a " + (s.isEmpty() ? "number (the field is empty)" : "finite decimal number"));
    }
}
