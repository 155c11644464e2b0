package dev.nn4j.serve.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Prometheus alert rules that ship with the server ({@code alerts/nn4j-alerts.yml} on the classpath): error
 * ratio, p99 latency, saturation, shedding, queue backlog, model not ready, load failures and target down, with
 * their default thresholds documented at the top of the file. A server or CLI can print them for operators to
 * install ({@code rule_files:} in {@code prometheus.yml}).
 */
public final class AlertRules {
    /** The classpath location of the rules file. */
    public static final String RESOURCE = "/alerts/nn4j-alerts.yml";

    private AlertRules() {}

    /** The rules file's text. */
    public static String text() {
        try (InputStream in = AlertRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("AlertRules: " + RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("AlertRules: cannot read " + RESOURCE, e);
        }
    }
}
