package dev.nn4j.serve.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (an API key id, or a truncated client address when keys are off). Each bucket holds up to
 * {@code burst} tokens and refills at {@code ratePerSecond}; a request takes one token or is refused with the whole
 * number of seconds after which one will be there (the HTTP {@code Retry-After} of a 429). Thread-safe.
 *
 * <pre>
 * tokens ← min(burst, tokens + rate · (now − last));  last ← now
 * if tokens ≥ 1: tokens ← tokens − 1, allow
 * else: refuse, Retry-After = ⌈(1 − tokens) / rate⌉ seconds (at least 1)
 * </pre>
 * <b>Parameters</b>: {@code ratePerSecond} &gt; 0 (sustained requests per second per key), {@code burst} ≥ 1 (requests
 * a fresh or idle key may send at once). A new key starts with a full bucket. Buckets that have refilled completely
 * are dropped when more than {@value #MAX_IDLE_KEYS} keys are tracked, so memory stays bounded when keys are client
 * addresses. Reference: the token bucket of RFC 2697 / RFC 4115 traffic policing.
 */
public final class RateLimiter {
    static final int MAX_IDLE_KEYS = 10_000;

    /**
     * The limiter's answer.
     *
     * @param allowed           whether the request may proceed
     * @param retryAfterSeconds when refused, whole seconds until a token is available (≥ 1); 0 when allowed
     */
    public record Decision(boolean allowed, long retryAfterSeconds) {
        static final Decision ALLOW = new Decision(true, 0);
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    private final double ratePerNano;
    private final double ratePerSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** A limiter on {@link System#nanoTime()}. */
    public RateLimiter(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    /**
     * A limiter on the given monotonic clock in nanoseconds (tests pass a fake one).
     *
     * @throws IllegalArgumentException if {@code ratePerSecond} is not a positive finite number or {@code burst < 1}
     */
    public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("RateLimiter: ratePerSecond must be a positive number, got " + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("RateLimiter: burst must be at least 1, got " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one token from {@code key}'s bucket, or says how long to wait. */
    public Decision tryAcquire(String key) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_IDLE_KEYS) {
                evictFull(now);
            }
            b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        }
        synchronized (b) {
            refill(b, now);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Decision.ALLOW;
            }
            long wait = (long) Math.ceil((1 - b.tokens) / ratePerSecond);
            return new Decision(false, Math.max(1, wait));
        }
    }

    /** Sustained requests per second per key. */
    public double ratePerSecond() {
        return ratePerSecond;
    }

    /** Bucket size. */
    public int burst() {
        return burst;
    }

    /** How many keys currently have a bucket. */
    int trackedKeys() {
        return buckets.size();
    }

    private void refill(Bucket b, long now) {
        long elapsed = now - b.lastNanos;
        if (elapsed > 0) {
            b.tokens = Math.min(burst, b.tokens + elapsed * ratePerNano);
            b.lastNanos = now;
        }
    }

    private void evictFull(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                refill(b, now);
                return b.tokens >= burst;
            }
        });
    }
}
