/**
 * Protection for the inference server, independent of any HTTP library: API keys kept as SHA-256 hashes
 * ({@link dev.nn4j.serve.security.KeyFile}, {@link dev.nn4j.serve.security.ApiKeyStore}), a per-key token-bucket
 * {@link dev.nn4j.serve.security.RateLimiter}, an {@link dev.nn4j.serve.security.AccessLog} that never sees keys or
 * bodies, an opt-in {@link dev.nn4j.serve.security.PayloadLog} that masks fields and truncates tensors, client
 * address truncation ({@link dev.nn4j.serve.security.ClientAddress}) and TLS contexts from PEM or PKCS#12 files
 * ({@link dev.nn4j.serve.security.TlsContexts}).
 */
package dev.nn4j.serve.security;
