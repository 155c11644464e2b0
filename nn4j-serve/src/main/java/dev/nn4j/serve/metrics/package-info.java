/**
 * Prometheus metrics of the inference server ({@link dev.nn4j.serve.metrics.ServeMetrics}): requests, latencies,
 * batching, in-flight requests, model loading and readiness, JVM metrics, and the text exposition for
 * {@code /metrics}. The alert rules that use them ship as {@code alerts/nn4j-alerts.yml} on the classpath
 * ({@link dev.nn4j.serve.metrics.AlertRules}).
 */
package dev.nn4j.serve.metrics;
