package dev.baserdb.api.backup;

import dev.baserdb.api.platform.eventstore.AxonEventLog;
import dev.baserdb.kernel.eventlog.EventLog;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@link ProjectEventLog} through Axon's API ({@link AxonEventLog}), for the {@code axonserver}
 * profile: the whole store is streamed in global order and the project's events kept (the same
 * top-level {@code projectId} test as {@link JdbcProjectEventLog}), so a backup reads every other
 * project's events too. Payloads and metadata are the stored bytes where the engine keeps them.
 */
@Component
@ConditionalOnProperty(name = "baserdb.event-log", havingValue = "axon")
class AxonProjectEventLog implements ProjectEventLog {

    private static final byte[] PROJECT_ID_KEY = "projectId".getBytes(StandardCharsets.US_ASCII);

    private final AxonEventLog events;

    AxonProjectEventLog(AxonEventLog events) {
        this.events = events;
    }

    /** Streams the whole store: Axon's API has no read by time that gives the highest index before it. */
    @Override
    public long positionAt(Instant at) {
        long[] position = {0};
        events.scan(-1, Long.MAX_VALUE, (index, event) -> {
            if (!event.getTimestamp().isAfter(at)) {
                position[0] = Math.max(position[0], index);
            }
            return true;
        });
        return position[0];
    }

    @Override
    public long head() {
        return Math.max(0, events.head());
    }

    @Override
    public void forEach(String projectId, long position, Instant at, Consumer<StoredEvent> consumer) {
        byte[] id = projectId.getBytes(StandardCharsets.UTF_8);
        events.scan(-1, position, (index, event) -> {
            if (at != null && event.getTimestamp().isAfter(at)) {
                return true;
            }
            EventLog.StoredEvent stored = events.stored(index, event);
            if (JdbcProjectEventLog.topLevelFieldIs(stored.payload(), PROJECT_ID_KEY, id)) {
                consumer.accept(new StoredEvent(stored.globalIndex(), stored.eventIdentifier(), stored.payloadType(),
                        stored.payloadRevision(), stored.aggregateIdentifier(), stored.aggregateType(),
                        stored.sequenceNumber(), stored.timestamp(), stored.payload(), stored.metaData()));
            }
            return true;
        });
    }

    /**
     * Nothing to wait for under Axon Server: it gives an event its global position when the append
     * commits, so no event can still commit at a position below the head. (Over the JDBC engine,
     * where it could, the {@code jdbc} event log is the one to run; docs/axonserver.md.)
     */
    @Override
    public void awaitInFlightAppends(Duration patience) {
    }
}
