package dev.nn4j.serve.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shipped alert rules: a structural check in Java that always runs, every metric they use exported by
 * {@link ServeMetrics}, and where Debian's {@code prometheus} package is installed, {@code promtool check rules} plus
 * the promtool unit tests in {@code alerts/nn4j-alerts.test.yml} (each alert fires above its threshold, not below).
 */
class AlertRulesTest {
    private static final Set<String> REQUIRED = Set.of("NN4jHighErrorRatio", "NN4jHighLatencyP99", "NN4jSaturated",
            "NN4jModelNotReady");

    @Test
    void rulesPassTheStructuralCheckAndPromtoolWhereInstalled(@TempDir Path dir) throws Exception {
        String rules = AlertRules.text();
        assertEquals(List.of(), problems(rules));
        assertTrue(alerts(rules).keySet().containsAll(REQUIRED), alerts(rules).keySet().toString());

        Path promtool = onPath("promtool");
        if (promtool != null) {
            Path file = dir.resolve("nn4j-alerts.yml");
            Files.writeString(file, rules);
            try (InputStream in = AlertRulesTest.class.getResourceAsStream("/alerts/nn4j-alerts.test.yml")) {
                Files.write(dir.resolve("nn4j-alerts.test.yml"), in.readAllBytes());
            }
            String check = run(dir, promtool.toString(), "check", "rules", "nn4j-alerts.yml");
            assertTrue(check.contains("SUCCESS: 8 rules found"), check);
            String unit = run(dir, promtool.toString(), "test", "rules", "nn4j-alerts.test.yml");
            assertTrue(unit.contains("SUCCESS"), unit);
        }
    }

    @Test
    void theStructuralCheckFindsBrokenRules() {
        String rules = AlertRules.text();
        assertTrue(problems(rules.replaceFirst("severity: critical", "sev: critical")).stream()
                .anyMatch(p -> p.startsWith("NN4jHighErrorRatio: labels need severity")), "missing severity");
        assertTrue(problems(rules.replaceFirst("\\) > 0.05", ") > 0.05)")).stream()
                .anyMatch(p -> p.startsWith("NN4jHighErrorRatio: unbalanced ()")), "unbalanced parentheses");
        assertTrue(problems(rules.replaceFirst("for: 10m", "for: ten minutes")).stream()
                .anyMatch(p -> p.startsWith("NN4jHighLatencyP99: for:")), "bad duration");
        assertTrue(problems(rules.replaceFirst("alert: NN4jSaturated", "alert: NN4jShedding")).stream()
                .anyMatch(p -> p.equals("duplicate alert NN4jShedding")), "duplicate name");
        assertTrue(problems(rules.replaceFirst("    rules:", "\trules:")).stream()
                .anyMatch(p -> p.startsWith("line ")), "tab");
        assertTrue(problems(rules.replaceFirst("summary:", "summry:")).stream()
                .anyMatch(p -> p.contains("annotations need summary and description")), "annotation typo");
    }

    @Test
    void everyMetricTheRulesUseIsExportedByServeMetrics() {
        ServeMetrics m = new ServeMetrics(new PrometheusRegistry(), false);
        m.modelLoaded("mlp", "1", Duration.ofMillis(1));
        m.modelLoadFailed("mlp");
        m.requestFinished("mlp", "1", 200, Duration.ofMillis(1));
        m.queueDepth("mlp", 0);
        Set<String> exported = new TreeSet<>(Exposition.parse(m.scrapeText()).names());

        Set<String> used = new TreeSet<>();
        Matcher metric = Pattern.compile("\\bnn4j_[a-z_]+").matcher(String.join("\n", alerts(AlertRules.text()).values()));
        while (metric.find()) {
            used.add(metric.group());
        }
        assertTrue(used.containsAll(Set.of("nn4j_requests_total", "nn4j_request_duration_seconds_bucket",
                "nn4j_requests_in_flight", "nn4j_requests_in_flight_limit", "nn4j_model_ready")), used.toString());
        for (String name : used) {
            assertTrue(exported.contains(name), name + " is used by a rule but not exported; exported: " + exported);
        }
    }

    /** Alert name → its expression, in file order. */
    static Map<String, String> alerts(String yaml) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Rule r : rules(yaml)) {
            out.put(r.name, r.expr);
        }
        return out;
    }

    private record Rule(String name, String expr, String forValue, Map<String, String> labels, Map<String, String> annotations) {}

    /** A line-based reading of the rules layout this project writes (not a general YAML parser). */
    private static List<Rule> rules(String yaml) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = yaml.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher start = Pattern.compile("^(\\s*)- alert: (\\S+)\\s*$").matcher(lines[i]);
            if (!start.matches()) {
                continue;
            }
            int indent = start.group(1).length() + 2;
            String name = start.group(2), expr = null, forValue = null, section = null;
            Map<String, String> labels = new LinkedHashMap<>(), annotations = new LinkedHashMap<>();
            int j = i + 1;
            for (; j < lines.length; j++) {
                String line = lines[j];
                if (line.isBlank()) {
                    continue;
                }
                int lead = line.length() - line.stripLeading().length();
                if (lead < indent) {
                    break;
                }
                String t = line.strip();
                if (lead == indent) {
                    section = null;
                    if (t.startsWith("expr:")) {
                        String v = t.substring(5).strip();
                        if (v.equals("|")) {
                            StringBuilder sb = new StringBuilder();
                            while (j + 1 < lines.length && (lines[j + 1].isBlank()
                                    || lines[j + 1].length() - lines[j + 1].stripLeading().length() > indent)) {
                                sb.append(lines[++j].strip()).append('\n');
                            }
                            v = sb.toString().strip();
                        }
                        expr = v;
                    } else if (t.startsWith("for:")) {
                        forValue = t.substring(4).strip();
                    } else if (t.equals("labels:") || t.equals("annotations:")) {
                        section = t;
                    }
                } else if (section != null) {
                    int colon = t.indexOf(':');
                    (section.equals("labels:") ? labels : annotations).put(t.substring(0, colon), t.substring(colon + 1).strip());
                }
            }
            rules.add(new Rule(name, expr, forValue, labels, annotations));
            i = j - 1;
        }
        return rules;
    }

    /** What is wrong with the rules file, as short messages; empty when it passes. */
    static List<String> problems(String yaml) {
        List<String> problems = new ArrayList<>();
        String[] lines = yaml.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String lead = lines[i].substring(0, lines[i].length() - lines[i].stripLeading().length());
            if (lines[i].contains("\t") || (!lines[i].isBlank() && lead.length() % 2 != 0)) {
                problems.add("line " + (i + 1) + ": indent with an even number of spaces, never tabs");
            }
        }
        if (!yaml.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("").equals("groups:")) {
            problems.add("the file must start with 'groups:'");
        }
        if (!yaml.contains("  - name: ") || !yaml.contains("    rules:")) {
            problems.add("needs a group with a name and rules");
        }
        Set<String> names = new TreeSet<>();
        List<Rule> rules = rules(yaml);
        if (rules.isEmpty()) {
            problems.add("no alert rules");
        }
        for (Rule r : rules) {
            if (!names.add(r.name)) {
                problems.add("duplicate alert " + r.name);
            }
            if (!r.name.matches("[A-Z][A-Za-z0-9]*")) {
                problems.add(r.name + ": alert names are CamelCase");
            }
            if (r.expr == null || r.expr.isEmpty()) {
                problems.add(r.name + ": no expr");
            } else {
                for (String pair : new String[]{"()", "{}", "[]"}) {
                    if (!balanced(r.expr, pair.charAt(0), pair.charAt(1))) {
                        problems.add(r.name + ": unbalanced " + pair + " in expr");
                    }
                }
                if (r.expr.chars().filter(c -> c == '"').count() % 2 != 0) {
                    problems.add(r.name + ": unbalanced quotes in expr");
                }
            }
            if (r.forValue != null && !r.forValue.matches("\\d+[smhd]")) {
                problems.add(r.name + ": for: '" + r.forValue + "' is not a duration like 5m");
            }
            String severity = r.labels.get("severity");
            if (!"warning".equals(severity) && !"critical".equals(severity)) {
                problems.add(r.name + ": labels need severity: warning or critical, got " + r.labels);
            }
            if (!r.annotations.containsKey("summary") || !r.annotations.containsKey("description")) {
                problems.add(r.name + ": annotations need summary and description, got " + r.annotations.keySet());
            }
        }
        return problems;
    }

    private static boolean balanced(String s, char open, char close) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == open ? 1 : c == close ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static Path onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
