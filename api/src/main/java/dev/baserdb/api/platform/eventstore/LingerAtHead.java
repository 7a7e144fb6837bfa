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

/**
 * The event store as an asynchronous processor reads it, except that at the head of the stream a
 * new event is handed over only after a short wait, so that the events of the next milliseconds join
 * its batch. At a trickle of single-row inserts the audit otherwise ran a unit of work per event (its
 * token, the chain's end, the insert, the commit): more CPU per event than the insert itself, on a
 * 2-core host. A processor that catches up (the events are already there) never waits.
 */
final class LingerAtHead implements StreamableMessageSource<TrackedEventMessage<?>> {

    /** How a stream waits; the tests watch it. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    static final Pause SLEEP = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

    private final StreamableMessageSource<TrackedEventMessage<?>> source;
    private final Duration linger;
    private final Pause pause;

    LingerAtHead(StreamableMessageSource<TrackedEventMessage<?>> source, Duration linger, Pause pause) {
        this.source = source;
        this.linger = linger;
        this.pause = pause;
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

        Lingering(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        /** True at once when an event is there; when one had to be waited for, true after the linger. */
        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (stream.hasNextAvailable()) {
                return true;
            }
            if (!stream.hasNextAvailable(timeout, unit)) {
                return false;
            }
            pause.pause(linger);
            return true;
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
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
