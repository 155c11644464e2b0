/**
 * The nn4j inference server: the Open Inference Protocol (KServe v2) over HTTP, API keys, Prometheus metrics,
 * masking of sensitive data in logs, input limits and dynamic batching. It depends on the core only, never on
 * training code.
 */
package dev.nn4j.serve;
