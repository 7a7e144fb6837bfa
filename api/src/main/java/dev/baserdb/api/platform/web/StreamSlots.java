package dev.baserdb.api.platform.web;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The long-lived streams (Server-Sent Events) open on this node, counted per key — a project's
 * realtime streams, an organization's audit streams — against a limit: one more than the limit is
 * refused with 429 and {@code Retry-After}.
 */
public final class StreamSlots {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final int limit;

    public StreamSlots(int limit) {
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** A slot of {@code key}, or 429 {@code RATE_LIMIT_EXCEEDED} saying {@code refusal} when the key has its limit open. */
    public Slot take(String key, String refusal) {
        AtomicInteger count = open.computeIfAbsent(key, k -> new AtomicInteger());
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            throw new BaserDbException(ErrorCode.RATE_LIMIT_EXCEEDED, refusal).retryAfter(RETRY_AFTER);
        }
        return new Slot(count);
    }

    /** A taken slot: giving it back more than once gives it back once. */
    public static final class Slot {

        private final AtomicInteger count;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(AtomicInteger count) {
            this.count = count;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        }
    }
}
