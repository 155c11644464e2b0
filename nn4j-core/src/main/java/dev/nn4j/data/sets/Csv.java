package dev.nn4j.data.sets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A comma-separated-values reader following RFC 4180: records end at CRLF or LF; a field may be enclosed in
 * double quotes, and then may hold commas, line breaks and doubled quotes ({@code ""} for one {@code "}).
 * Fields are not trimmed. Empty lines are skipped and a leading byte-order mark is dropped. It reads text
 * only; {@link CsvDataset} turns it into tensors.
 */
public final class Csv {
    /** One record and the (1-based) line it starts on. */
    public record Row(int line, List<String> fields) {}

    private Csv() {}

    /** All records, the header first. {@code source} names the input in errors; the reader is not closed. */
    public static List<Row> read(Reader reader, String source) {
        Reader in = reader.markSupported() ? reader : new BufferedReader(reader, 1 << 16);
        try {
            List<Row> rows = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int line = 1, rowLine = 1, quoteLine = 0;
            boolean quoted = false, wasQuoted = false, first = true;
            for (int c = in.read(); ; c = in.read()) {
                if (first && c == '\uFEFF') {
                    first = false;
                    continue;
                }
                first = false;
                if (quoted) {
                    if (c == -1) throw new IllegalArgumentException(source + ": line " + quoteLine + ": a quoted field is never closed");
                    if (c == '"') {
                        in.mark(1);
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next != -1) in.reset();
                        }
                    } else {
                        if (c == '\n') line++;
                        field.append((char) c);
                    }
                    continue;
                }
                if (c == '"') {
                    if (!field.isEmpty() || wasQuoted) {
                        throw new IllegalArgumentException(source + ": line " + line + ", field " + (fields.size() + 1)
                                + ": a quote inside an unquoted field (enclose the field in quotes and double the quote)");
                    }
                    quoted = wasQuoted = true;
                    quoteLine = line;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' || c == '\n' || c == -1) {
                    if (c == '\r') {
                        in.mark(1);
                        if (in.read() != '\n') in.reset();
                    }
                    boolean empty = fields.isEmpty() && field.isEmpty() && !wasQuoted;
                    if (!empty) {
                        fields.add(field.toString());
                        rows.add(new Row(rowLine, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    wasQuoted = false;
                    if (c == -1) return rows;
                    rowLine = ++line;
                } else {
                    if (wasQuoted) {
                        throw new IllegalArgumentException(source + ": line " + line + ", field " + (fields.size() + 1)
                                + ": text after the closing quote of a quoted field");
                    }
                    field.append((char) c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }
}
