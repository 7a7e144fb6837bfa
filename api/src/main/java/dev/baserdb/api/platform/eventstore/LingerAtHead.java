package dev.baserdb.api.platform.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import javax.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The event store as an asynchronous processor reads it, except that at the head of the stream a
 * new event is handed over only after a short wait, so that the events of the next milliseconds join
 * its batch. At a trickle of single-row inserts the audit otherwise ran a unit of work per event (its
 * token, the chain's end, the insert, the commit): more CPU per event than the insert itself, on a
 * 2-core host. A processor at the head of a steady trickle (its last batch emptied the stream, and
 * more events came while it wrote that batch) starts its next batch no sooner than a linger after
 * the last one started: without that, each batch took the one or two events that came while the
 * last was written, and the audit ran a unit of work per 2.7 events at one inserting client (630
 * token updates in 3 s, 1,685 inserts). A processor that catches up (its last batch was full, the
 * events are already there) never waits.
 *
 * <p>A processor waits at the head for up to its event availability timeout (Axon's default: 1 s)
 * and only then sees that it was told to stop: a replay (shut down, tokens reset, started again)
 * and a graceful shutdown waited for that. Here the wait is made in {@link #SLICE}s and ends once
 * the processor is stopping.
 */
final class LingerAtHead implements StreamableMessageSource<TrackedEventMessage<?>> {

    /** How a stream waits; the tests watch it. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    static final Pause SLEEP = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

    /** The longest a wait for an event goes on before it checks whether the processor is stopping. */
    static final long SLICE = 50;

    private final StreamableMessageSource<TrackedEventMessage<?>> source;
    private final Duration linger;
    private final Pause pause;
    private final LongSupplier nanoTime;
    private final BooleanSupplier stopping;

    /**
     * @param stopping whether the processor that reads is stopping (its waits for an event then end
     *                 without one)
     */
    LingerAtHead(StreamableMessageSource<TrackedEventMessage<?>> source, Duration linger, Pause pause,
                 LongSupplier nanoTime, BooleanSupplier stopping) {
        this.source = source;
        this.linger = linger;
        this.pause = pause;
        this.nanoTime = nanoTime;
        this.stopping = stopping;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(@Nullable TrackingToken token) {
        return new Lingering(source.openStream(token));
    }

    @Override
    public TrackingToken createTailToken() {
        return source.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return source.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return source.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return source.createTokenSince(duration);
    }

    private final class Lingering implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        /** When the last batch was handed over (System.nanoTime), once there was one. */
        private long lastBatch;
        private boolean handedOver;
        /** The reader found the stream empty since the last batch was handed over: it is at the head. */
        private boolean emptied;

        Lingering(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        /**
         * The start of a batch (a processor asks once per batch): true at once when an event is there,
         * unless the stream is trickling (then a linger after the last batch); when one had to be
         * waited for, true after the linger.
         */
        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            boolean trickling = emptied && handedOver;
            emptied = false;
            if (stream.hasNextAvailable()) {
                if (trickling) {
                    long left = linger.toNanos() - (nanoTime.getAsLong() - lastBatch);
                    if (left > 0) {
                        pause.pause(Duration.ofNanos(left));
                    }
                }
                return handOver();
            }
            if (!awaitEvent(unit.toMillis(timeout))) {
                return false;
            }
            pause.pause(linger);
            return handOver();
        }

        /** Waits up to {@code timeout} ms for an event, a {@link #SLICE} at a time; no longer once the processor stops. */
        private boolean awaitEvent(long timeout) throws InterruptedException {
            for (long left = timeout; ; left -= SLICE) {
                if (stream.hasNextAvailable((int) Math.min(Math.max(left, 0), SLICE), TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (left <= SLICE || stopping.getAsBoolean()) {
                    return false;
                }
            }
        }

        private boolean handOver() {
            lastBatch = nanoTime.getAsLong();
            handedOver = true;
            return true;
        }

        @Override
        public boolean hasNextAvailable() {
            boolean available = stream.hasNextAvailable();
            emptied |= !available;
            return available;
        }

        /** A tracking processor fills its batch while this finds an event. */
        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            Optional<TrackedEventMessage<?>> next = stream.peek();
            emptied |= next.isEmpty();
            return next;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void close() {
            stream.close();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }
    }
}
