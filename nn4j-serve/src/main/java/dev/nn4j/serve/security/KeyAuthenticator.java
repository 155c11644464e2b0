package dev.nn4j.serve.security;

import dev.nn4j.serve.Authenticator;

/**
 * The server's {@link Authenticator} from this package's parts: API keys and scopes checked by an {@link ApiKeyStore}
 * (401, 403), then a per-key {@link RateLimiter} (429 with {@code Retry-After}). Either part may be absent: without
 * keys every request is key id {@code "-"}, and a rate limit then applies to all requests together.
 *
 * <p>Order: a missing or wrong key is 401 and a key outside its scopes 403 before any token is taken, so refused
 * requests cannot drain a key's bucket; a request addressing no model (e.g. {@code GET /v2}, {@code /metrics}) needs
 * a valid key but no scope. Messages name the key id, never the key.
 */
public final class KeyAuthenticator implements Authenticator {
    /** The key id of every request when the server has no keys. */
    public static final String ANONYMOUS = "-";

    private final ApiKeyStore keys;
    private final RateLimiter limiter;

    /**
     * @param keys    the API keys, or {@code null} to let every request through as {@value #ANONYMOUS}
     * @param limiter the per-key rate limit, or {@code null} for none
     */
    public KeyAuthenticator(ApiKeyStore keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    @Override
    public Decision authenticate(String authorization, String model) {
        String keyId = ANONYMOUS;
        if (keys != null) {
            switch (keys.check(authorization, model)) {
                case AuthResult.Granted g -> keyId = g.keyId();
                case AuthResult.Unauthorized u -> {
                    return new Denied(401, u.reason(), 0);
                }
                case AuthResult.Forbidden f -> {
                    return new Denied(403, f.reason(), 0);
                }
            }
        }
        if (limiter != null) {
            RateLimiter.Decision d = limiter.tryAcquire(keyId);
            if (!d.allowed()) {
                return new Denied(429, "rate limit of " + fmt(limiter.ratePerSecond()) + " requests/s (burst " + limiter.burst()
                        + ") exceeded for API key '" + keyId + "'; retry after " + d.retryAfterSeconds() + " s", d.retryAfterSeconds());
            }
        }
        return new Allowed(keyId);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
