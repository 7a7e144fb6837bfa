package dev.baserdb.api.backup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A project's events as the event store holds them, in global order — everything backups, their
 * restores and point-in-time restores read from the store goes through this one interface.
 *
 * <p>Two implementations, chosen like the {@code EventLog}'s ({@code baserdb.event-log}). A backup
 * streams the events of ONE project byte for byte as stored (encrypted values stay encrypted,
 * payloads are not deserialised and serialised again). Axon's API offers either one aggregate's
 * stream ({@code readEvents(aggregateId)}: a project is thousands of aggregates — groups, tables,
 * rows — whose ids no read model lists in one place) or the whole store's tracking stream, which
 * carries every other project's events to the application to be dropped there: several times
 * slower than the one indexed pass that {@link JdbcProjectEventLog} makes over Axon's JDBC table,
 * the default. {@link AxonProjectEventLog} takes that whole stream, for the {@code axonserver}
 * profile where there is no such table (docs/axonserver.md).
 */
interface ProjectEventLog {

    /**
     * One stored event: its place in the stream, its identity, and payload and metadata exactly as
     * stored (UTF-8 JSON). {@code timestamp} is the store's text (ISO-8601).
     */
    record StoredEvent(long globalIndex, String eventId, String payloadType, String payloadRevision,
                       String aggregateId, String aggregateType, long sequence, String timestamp, byte[] payload,
                       byte[] metadata) {

        Instant instant() {
            return Instant.parse(timestamp);
        }

        /** The payload as text (tests and messages; the streaming paths use the bytes). */
        String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The highest global index of an event recorded no later than {@code at} (0 when none). */
    long positionAt(Instant at);

    /** The highest global index in the store now (0 when empty). */
    long head();

    /**
     * Streams the project's events at positions up to {@code position} recorded no later than
     * {@code at} (null: any time), oldest first. Memory stays flat whatever the count: an event handed
     * to the consumer is not kept.
     */
    void forEach(String projectId, long position, Instant at, Consumer<StoredEvent> consumer);

    /**
     * Waits (up to {@code patience}) until every transaction that was appending events when this is
     * called has ended, so no event can still commit at a position already taken: an append that rolls
     * forward late would otherwise be missing from a cut that covers its position.
     */
    void awaitInFlightAppends(Duration patience);
}
