package dev.baserdb.api.backup;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * A project's events as the event store holds them, in global order: every event whose payload
 * names the project ({@code projectId}, as every project-scoped event carries it). Read straight from
 * Axon's JDBC table, in batches along the global index, so a backup holds the events byte for byte as
 * stored (encrypted values stay encrypted) and memory stays flat whatever the count. Under the
 * {@code axonserver} profile there is no such table: backups need the JDBC event store.
 */
@Component
class ProjectEventLog {

    /** Global positions per batch: at most this many events are held at once. */
    private static final int BATCH = 5000;

    private final DSLContext db;

    ProjectEventLog(DSLContext db) {
        this.db = db;
    }

    /** One stored event: its place in the stream, its identity, and payload and metadata as stored (JSON). */
    record StoredEvent(long globalIndex, String eventId, String payloadType, String payloadRevision,
                       String aggregateId, String aggregateType, long sequence, Instant timestamp, String payload,
                       String metadata) {
    }

    /** The highest global index of an event recorded no later than {@code at} (0 when none). */
    long positionAt(Instant at) {
        Object position = db.fetchValue("SELECT max(globalindex) FROM domainevententry "
                + "WHERE timestamp::timestamptz <= ?::timestamptz", at.toString());
        return position instanceof Number n ? n.longValue() : 0;
    }

    /** The highest global index in the store now (0 when empty). */
    long head() {
        Object head = db.fetchValue("SELECT max(globalindex) FROM domainevententry");
        return head instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Streams the project's events at positions up to {@code position} recorded no later than
     * {@code at} (null: any time), oldest first.
     */
    void forEach(String projectId, long position, Instant at, Consumer<StoredEvent> consumer) {
        // Batches are ranges of global positions, not "the next N of the project": a LIMIT under the
        // payload filter let PostgreSQL scan the whole table for every batch (quadratic); a bounded
        // range is one index range scan, so the whole read is one pass over the store.
        for (long after = 0; after < position; after += BATCH) {
            Result<Record> batch = db.fetch("SELECT globalindex, eventidentifier, payloadtype, payloadrevision, "
                    + "aggregateidentifier, type, sequencenumber, timestamp, convert_from(payload, 'UTF8') AS payload, "
                    + "convert_from(metadata, 'UTF8') AS metadata FROM domainevententry "
                    + "WHERE globalindex > ? AND globalindex <= ? "
                    + "AND convert_from(payload, 'UTF8')::jsonb ->> 'projectId' = ? "
                    + "ORDER BY globalindex", after, Math.min(after + BATCH, position), projectId);
            for (Record r : batch) {
                StoredEvent event = new StoredEvent(r.get(0, Long.class), r.get(1, String.class),
                        r.get(2, String.class), r.get(3, String.class), r.get(4, String.class),
                        r.get(5, String.class), r.get(6, Long.class), Instant.parse(r.get(7, String.class)),
                        r.get(8, String.class), r.get(9, String.class));
                if (at == null || !event.timestamp().isAfter(at)) {
                    consumer.accept(event);
                }
            }
        }
    }

    /**
     * Waits (up to {@code patience}) until every transaction that had begun when this is called has
     * ended, so no event can still commit at a position already taken: an append that rolls forward
     * late would otherwise be missing from a cut that covers its position.
     */
    void awaitInFlightAppends(java.time.Duration patience) {
        Object horizon = db.fetchValue("SELECT pg_snapshot_xmax(pg_current_snapshot())::text");
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            Object done = db.fetchValue("SELECT pg_snapshot_xmin(pg_current_snapshot()) >= ?::xid8", horizon);
            if (Boolean.TRUE.equals(done)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
