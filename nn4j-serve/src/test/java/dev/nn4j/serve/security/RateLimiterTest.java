package dev.nn4j.serve.security;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** Token buckets on a fake clock: burst, refill rate, Retry-After, independence of keys, thread safety. */
class RateLimiterTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(123 * MS);

    @Test
    void burstIsAllowedThenRefusedWithRetryAfter() {
        RateLimiter rl = new RateLimiter(2, 3, now::get);
        for (int i = 0; i < 3; i++) {
            assertTrue(rl.tryAcquire("k").allowed(), "request " + i + " within the burst");
        }
        // empty bucket, 2 tokens/s: one token in 0.5 s, rounded up to whole seconds
        assertEquals(new RateLimiter.Decision(false, 1), rl.tryAcquire("k"));
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilTheNextToken() {
        RateLimiter rl = new RateLimiter(0.1, 1, now::get);
        assertTrue(rl.tryAcquire("k").allowed());
        assertEquals(10, rl.tryAcquire("k").retryAfterSeconds(), "0.1 token/s: 10 s for one token");
        now.addAndGet(2500 * MS);
        // 0.25 tokens after 2.5 s: 0.75 missing / 0.1 per s = 7.5 s → 8
        assertEquals(8, rl.tryAcquire("k").retryAfterSeconds());
        now.addAndGet(7500 * MS);
        assertTrue(rl.tryAcquire("k").allowed(), "a full token after 10 s");
    }

    @Test
    void bucketRefillsAtTheRateButNeverBeyondTheBurst() {
        RateLimiter rl = new RateLimiter(10, 5, now::get);
        for (int i = 0; i < 5; i++) {
            rl.tryAcquire("k");
        }
        assertFalse(rl.tryAcquire("k").allowed());
        now.addAndGet(100 * MS); // 10/s × 0.1 s = 1 token
        assertTrue(rl.tryAcquire("k").allowed());
        assertFalse(rl.tryAcquire("k").allowed());

        now.addAndGet(3_600_000 * MS); // an hour idle: still only `burst` tokens
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += rl.tryAcquire("k").allowed() ? 1 : 0;
        }
        assertEquals(5, allowed);
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        RateLimiter rl = new RateLimiter(1, 1, now::get);
        assertTrue(rl.tryAcquire("alice").allowed());
        assertFalse(rl.tryAcquire("alice").allowed());
        assertTrue(rl.tryAcquire("bob").allowed(), "alice's use does not spend bob's tokens");
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheBudget() throws Exception {
        RateLimiter rl = new RateLimiter(1, 100, now::get); // the clock is frozen: exactly 100 tokens exist
        AtomicInteger allowed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                for (int i = 0; i < 500; i++) {
                    if (rl.tryAcquire("shared").allowed()) {
                        allowed.incrementAndGet();
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(100, allowed.get());
    }

    @Test
    void fullIdleBucketsAreDroppedWhenManyKeysAreTracked() {
        RateLimiter rl = new RateLimiter(1000, 1, now::get);
        for (int i = 0; i < RateLimiter.MAX_IDLE_KEYS; i++) {
            rl.tryAcquire("client-" + i);
        }
        assertEquals(RateLimiter.MAX_IDLE_KEYS, rl.trackedKeys());
        now.addAndGet(10 * MS); // every bucket refilled
        assertTrue(rl.tryAcquire("newcomer").allowed());
        assertEquals(1, rl.trackedKeys());
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.POSITIVE_INFINITY, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RateLimiter(5, 0));
        assertEquals("RateLimiter: burst must be at least 1, got 0", e.getMessage());
    }
}
