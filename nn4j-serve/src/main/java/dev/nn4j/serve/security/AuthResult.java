package dev.nn4j.serve.security;

import java.util.Set;

/**
 * The outcome of checking an {@code Authorization} header with {@link ApiKeyStore}: granted, unauthorized (HTTP 401)
 * or forbidden (HTTP 403). No variant ever holds the presented key.
 */
public sealed interface AuthResult {
    /** The HTTP status the server answers with: 200 (go on), 401 or 403. */
    int httpStatus();

    /**
     * A valid key.
     *
     * @param keyId  the key's id, for logs, metrics and the rate limiter
     * @param models the key's model scopes; empty means every model
     */
    record Granted(String keyId, Set<String> models) implements AuthResult {
        public Granted {
            models = Set.copyOf(models);
        }

        /** Whether this key may use {@code model}. */
        public boolean allows(String model) {
            return models.isEmpty() || models.contains(model);
        }

        @Override
        public int httpStatus() {
            return 200;
        }
    }

    /**
     * No key, a malformed header or an unknown key. The server answers 401 with
     * {@code WWW-Authenticate: Bearer} and {@code {"error": reason}}.
     */
    record Unauthorized(String reason) implements AuthResult {
        @Override
        public int httpStatus() {
            return 401;
        }
    }

    /** A valid key used on a model outside its scopes; the server answers 403. */
    record Forbidden(String keyId, String model) implements AuthResult {
        /** A message for the {@code error} field that names the key id and model, never the key. */
        public String reason() {
            return "API key '" + keyId + "' may not use model '" + model + "'";
        }

        @Override
        public int httpStatus() {
            return 403;
        }
    }
}
