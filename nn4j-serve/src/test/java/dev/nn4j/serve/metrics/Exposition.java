package dev.nn4j.serve.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small parser of the Prometheus text format for tests: samples ({@code name{labels} value}) and the
 * {@code # TYPE} lines. Label values are unescaped; timestamps are not expected.
 */
record Exposition(List<Sample> samples, Map<String, String> types) {
    record Sample(String name, Map<String, String> labels, double value) {}

    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                int i = 0;
                while (i < body.length()) {
                    int eq = body.indexOf('=', i);
                    String key = body.substring(i, eq);
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2; // skip ="
                    while (body.charAt(j) != '"') {
                        char c = body.charAt(j);
                        if (c == '\\') {
                            char n = body.charAt(++j);
                            value.append(n == 'n' ? '\n' : n);
                        } else {
                            value.append(c);
                        }
                        j++;
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (i < body.length() && body.charAt(i) == ',') {
                        i++;
                    }
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Exposition(samples, types);
    }

    /** The value of the one sample with this name and exactly these labels; fails if there is none. */
    double value(String name, String... labelPairs) {
        Map<String, String> want = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            want.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + want + " in " + names()))
                .value();
    }

    /** Whether any sample has this name and these labels. */
    boolean has(String name, String... labelPairs) {
        try {
            value(name, labelPairs);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    List<String> names() {
        return samples.stream().map(Sample::name).distinct().sorted().toList();
    }
}
