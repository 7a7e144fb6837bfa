package dev.baserdb.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.kernel.audit.TrailPosition;
import dev.baserdb.kernel.eventlog.EventLog;
import dev.baserdb.kernel.eventlog.EventLog.StoredEvent;
import dev.baserdb.kernel.readmodel.JdbcRows;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.serialization.Serializer;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record4;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_CHECKPOINTS;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;

/** Reads and verifies the audit trail, and reads its signed checkpoints. */
@Service
public class AuditLog implements DisposableBean {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STREAM_FETCH_SIZE = 500;
    private static final int VERIFY_BATCH = 5000;

    private final DSLContext db;
    private final TransactionTemplate readOnly;
    /** Read-only and repeatable read: one snapshot of entries, events, token and checkpoints for a whole verify. */
    private final TransactionTemplate snapshot;
    private final Serializer serializer;
    private final AuditEvents events;
    /**
     * Derive the entries of a verify batch (the CPU-bound part) while the request's thread reads
     * the next one: one thread per core, daemons, shared by concurrent verify requests.
     */
    private final ForkJoinPool derivers = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    public AuditLog(DSLContext db, PlatformTransactionManager transactionManager, Serializer serializer,
                    @Qualifier("eventSerializer") Serializer eventSerializer, EventLog eventLog) {
        this.db = db;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.snapshot = new TransactionTemplate(transactionManager);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.serializer = serializer;
        this.events = new AuditEvents(eventLog, eventSerializer);
    }

    /** Newest first; {@code before} is the cursor (a sequence number) of the previous page's last entry. */
    public List<AuditEntry> list(AuditFilter filter, Long before, int limit) {
        Condition condition = condition(filter);
        if (before != null) {
            condition = condition.and(AUDIT_ENTRIES.SEQUENCE.lt(before));
        }
        return db.selectFrom(AUDIT_ENTRIES).where(condition).orderBy(AUDIT_ENTRIES.SEQUENCE.desc()).limit(limit)
                .fetch(AuditLog::toEntry);
    }

    /** Matching entries after chain position {@code sequence}, oldest first: the next page of an audit stream. */
    public List<AuditEntry> after(AuditFilter filter, long sequence, int limit) {
        return db.selectFrom(AUDIT_ENTRIES).where(condition(filter).and(AUDIT_ENTRIES.SEQUENCE.gt(sequence)))
                .orderBy(AUDIT_ENTRIES.SEQUENCE).limit(limit).fetch(AuditLog::toEntry);
    }

    /** The chain position of the newest entry (-1 when the trail is empty). */
    public long lastSequence() {
        Long last = db.select(org.jooq.impl.DSL.max(AUDIT_ENTRIES.SEQUENCE)).from(AUDIT_ENTRIES).fetchOne(0, Long.class);
        return last == null ? -1 : last;
    }

    public Optional<AuditEntry> find(String id) {
        return db.selectFrom(AUDIT_ENTRIES).where(AUDIT_ENTRIES.ID.eq(id)).fetchOptional().map(AuditLog::toEntry);
    }

    public long count() {
        return db.fetchCount(AUDIT_ENTRIES);
    }

    /** Every matching entry, oldest first, read through a database cursor (never all in memory). */
    public void stream(AuditFilter filter, Consumer<AuditEntry> sink) {
        readOnly.executeWithoutResult(status -> {
            try (Cursor<Record> cursor = db.selectFrom(AUDIT_ENTRIES).where(condition(filter))
                    .orderBy(AUDIT_ENTRIES.SEQUENCE).fetchSize(STREAM_FETCH_SIZE).fetchLazy()) {
                cursor.forEach(record -> sink.accept(toEntry(record)));
            }
        });
    }

    /**
     * Checks the trail over the window [from, to] (API.md §10), in one consistent snapshot of the
     * audit table, the event store and the audit processor's token:
     * <ul>
     *   <li>the chain: every entry follows its predecessor (sequence + 1, prev_hash = its hash);</li>
     *   <li>every entry against its event: the entry is derived again from the event store with
     *   the projection's own rule ({@link AuditDerivation}) at the entry's place in the chain and
     *   must equal what is stored, hash included — so an edited entry whose hash was recomputed
     *   is found, and an entry without an event of its own is {@code extra};</li>
     *   <li>completeness: every event the processor has handled has its entry ({@code missing}
     *   otherwise), so removing the last entries is found too;</li>
     *   <li>the latest signed checkpoint: the entry at its count still has the head hash it
     *   signed, so a consistent rewrite of events and entries before it is found.</li>
     * </ul>
     * The whole chain is walked in the window whatever the organization; {@code checked} and
     * {@code head_hash} are the organization's (all entries when none is given). Entries and
     * events are read in batches of {@value #VERIFY_BATCH}.
     */
    public Verification verify(String organizationId, Instant from, Instant to) {
        return snapshot.execute(status -> {
            TrailPosition position = position();
            Condition window = condition(new AuditFilter(null, null, null, null, null, null, from, to));
            TrailWalk walk = new TrailWalk(organizationId);
            TrailWalk.Link previous = null;
            Batch batch = read(window, null);
            if (!batch.entries().isEmpty()) {
                previous = predecessor(batch.entries().get(0).sequence());
            }
            while (!batch.entries().isEmpty()) {
                // Deriving each entry from its event is the costly part, and independent per entry: in
                // parallel on the derivers, while this thread reads the next batch (the transaction's
                // connection is this thread's); the walk itself (links, counts) stays in chain order.
                Batch current = batch;
                ForkJoinTask<boolean[]> derived = derivers.submit(() -> derivedFrom(current));
                List<TrailWalk.Stored> entries = current.entries();
                batch = entries.size() < VERIFY_BATCH ? Batch.NONE
                        : read(window, entries.get(entries.size() - 1).sequence());
                boolean[] asDerived = derived.join();
                for (int i = 0; i < entries.size(); i++) {
                    TrailWalk.Stored entry = entries.get(i);
                    walk.check(previous, entry, current.events().containsKey(entry.globalIndex()), asDerived[i]);
                    previous = new TrailWalk.Link(entry.sequence(), entry.hash());
                }
            }
            for (AuditEvents.Unrecorded event : events.unrecordedUpTo(position.index())) {
                if (position.recorded(event.globalIndex()) && within(event.timestamp(), from, to)) {
                    walk.missing(AuditDerivation.entryId(event.eventIdentifier()));
                }
            }
            Map.Entry<Verification.CheckpointCheck, String> checkpoint = checkpointCheck();
            return walk.result(position.index(), checkpoint.getKey(), checkpoint.getValue());
        });
    }

    /** A batch of entries in chain order, and the events they record by global index (those that exist). */
    private record Batch(List<TrailWalk.Stored> entries, Map<Long, StoredEvent> events) {

        static final Batch NONE = new Batch(List.of(), Map.of());
    }

    /** The next {@value #VERIFY_BATCH} entries of the window after sequence {@code after} (from the start: null), with their events. */
    private Batch read(Condition window, Long after) {
        List<TrailWalk.Stored> entries = JdbcRows.list(db, db.select(TrailWalk.STORED).from(AUDIT_ENTRIES)
                .where(after == null ? window : window.and(AUDIT_ENTRIES.SEQUENCE.gt(after)))
                .orderBy(AUDIT_ENTRIES.SEQUENCE).limit(VERIFY_BATCH), VERIFY_BATCH, TrailWalk.Stored::of);
        if (entries.isEmpty()) {
            return Batch.NONE;
        }
        return new Batch(entries, events.at(entries.stream().mapToLong(TrailWalk.Stored::globalIndex).sorted().toArray()));
    }

    /** For each entry of the batch, whether it is the entry its event gives (run on the derivers). */
    private boolean[] derivedFrom(Batch batch) {
        boolean[] asDerived = new boolean[batch.entries().size()];
        IntStream.range(0, asDerived.length).parallel().forEach(i -> {
            TrailWalk.Stored entry = batch.entries().get(i);
            StoredEvent event = batch.events().get(entry.globalIndex());
            asDerived[i] = event != null && derivedFrom(entry, event);
        });
        return asDerived;
    }

    @Override
    public void destroy() {
        derivers.shutdownNow();
    }

    /** Where the trail stands now, read in one statement so the token and the last entry agree. */
    public AuditHead head() {
        Field<Long> count = DSL.field(DSL.select(DSL.max(AUDIT_ENTRIES.SEQUENCE)).from(AUDIT_ENTRIES));
        Field<String> headHash = DSL.field(DSL.select(AUDIT_ENTRIES.HASH).from(AUDIT_ENTRIES)
                .orderBy(AUDIT_ENTRIES.SEQUENCE.desc()).limit(1));
        Record4<byte[], String, Long, String> row = db.select(DSL.field(TrailPosition.tokenColumn(TrailPosition.TOKEN)),
                DSL.field(TrailPosition.tokenColumn(TrailPosition.TOKEN_TYPE)), count, headHash).fetchSingle();
        TrailPosition position = TrailPosition.reached(row.value1(), row.value2(), serializer);
        return new AuditHead(position.index(), row.value3() == null ? 0 : row.value3(), row.value4());
    }

    /** Signed checkpoints, newest first; {@code before} is the id of the previous page's last one. */
    public List<AuditCheckpoint> checkpoints(Long before, int limit) {
        return db.selectFrom(AUDIT_CHECKPOINTS)
                .where(before == null ? DSL.noCondition() : AUDIT_CHECKPOINTS.ID.lt(before))
                .orderBy(AUDIT_CHECKPOINTS.ID.desc()).limit(limit)
                .fetch(AuditLog::toCheckpoint);
    }

    public Optional<AuditCheckpoint> latestCheckpoint() {
        return db.selectFrom(AUDIT_CHECKPOINTS).orderBy(AUDIT_CHECKPOINTS.ID.desc()).limit(1).fetchOptional()
                .map(AuditLog::toCheckpoint);
    }

    /** The latest checkpoint, whether the entry at its count still has its head hash, and that entry's id. */
    private Map.Entry<Verification.CheckpointCheck, String> checkpointCheck() {
        AuditCheckpoint checkpoint = latestCheckpoint().orElse(null);
        if (checkpoint == null) {
            return new AbstractMap.SimpleEntry<>(null, null);
        }
        Record2<String, String> there = db.select(AUDIT_ENTRIES.ID, AUDIT_ENTRIES.HASH).from(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.SEQUENCE.eq(checkpoint.count())).fetchOne();
        boolean matches = checkpoint.count() == 0 ? there == null && checkpoint.headHash() == null
                : there != null && there.value2().equals(checkpoint.headHash());
        return new AbstractMap.SimpleEntry<>(new Verification.CheckpointCheck(checkpoint, matches),
                there == null ? null : there.value1());
    }

    private TrailPosition position() {
        Record2<byte[], String> token = db.select(DSL.field(TrailPosition.tokenColumn(TrailPosition.TOKEN)),
                DSL.field(TrailPosition.tokenColumn(TrailPosition.TOKEN_TYPE))).fetchSingle();
        return TrailPosition.reached(token.value1(), token.value2(), serializer);
    }

    /** Counts of changes by action, resource type and actor in a period. */
    public List<ChangeCount> changes(AuditFilter filter) {
        var count = DSL.count();
        return db.select(AUDIT_ENTRIES.ACTION, AUDIT_ENTRIES.RESOURCE_TYPE, AUDIT_ENTRIES.ACTOR_TYPE,
                AUDIT_ENTRIES.ACTOR_ID, count)
                .from(AUDIT_ENTRIES).where(condition(filter))
                .groupBy(AUDIT_ENTRIES.ACTION, AUDIT_ENTRIES.RESOURCE_TYPE, AUDIT_ENTRIES.ACTOR_TYPE, AUDIT_ENTRIES.ACTOR_ID)
                .orderBy(AUDIT_ENTRIES.ACTION, AUDIT_ENTRIES.ACTOR_ID)
                .fetch(r -> new ChangeCount(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    private TrailWalk.Link predecessor(long sequence) {
        if (sequence <= 1) {
            return null;
        }
        String hash = db.select(AUDIT_ENTRIES.HASH).from(AUDIT_ENTRIES).where(AUDIT_ENTRIES.SEQUENCE.eq(sequence - 1))
                .fetchOne(AUDIT_ENTRIES.HASH);
        return hash == null ? TrailWalk.Link.MISSING : new TrailWalk.Link(sequence - 1, hash);
    }

    /** Whether the entry is the one its event gives; an event that no longer deserializes gives none. */
    private boolean derivedFrom(TrailWalk.Stored entry, StoredEvent event) {
        try {
            return entry.is(events.derive(event, entry.globalIndex(), entry.sequence(), entry.prevHash()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether an event's time is in [from, to); an unreadable time counts as inside (it is reported). */
    private static boolean within(String timestamp, Instant from, Instant to) {
        Instant at;
        try {
            at = DateTimeUtils.parseInstant(timestamp).truncatedTo(ChronoUnit.MILLIS);
        } catch (RuntimeException e) {
            return true;
        }
        return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
    }

    private static Condition condition(AuditFilter filter) {
        List<Condition> conditions = new ArrayList<>();
        if (filter.organizationId() != null) {
            conditions.add(AUDIT_ENTRIES.ORGANIZATION_ID.eq(filter.organizationId()));
        }
        if (filter.projectId() != null) {
            conditions.add(AUDIT_ENTRIES.PROJECT_ID.eq(filter.projectId()));
        }
        if (filter.actorId() != null) {
            conditions.add(AUDIT_ENTRIES.ACTOR_ID.eq(filter.actorId()));
        }
        if (filter.action() != null) {
            conditions.add(AUDIT_ENTRIES.ACTION.eq(filter.action()));
        }
        if (filter.resourceType() != null) {
            conditions.add(AUDIT_ENTRIES.RESOURCE_TYPE.eq(filter.resourceType()));
        }
        if (filter.resourceId() != null) {
            conditions.add(AUDIT_ENTRIES.RESOURCE_ID.eq(filter.resourceId()));
        }
        if (filter.from() != null) {
            conditions.add(AUDIT_ENTRIES.OCCURRED_AT.ge(filter.from().atOffset(ZoneOffset.UTC)));
        }
        if (filter.to() != null) {
            conditions.add(AUDIT_ENTRIES.OCCURRED_AT.lt(filter.to().atOffset(ZoneOffset.UTC)));
        }
        return DSL.and(conditions);
    }

    private static AuditCheckpoint toCheckpoint(Record r) {
        return new AuditCheckpoint(r.get(AUDIT_CHECKPOINTS.ID), r.get(AUDIT_CHECKPOINTS.POSITION), r.get(AUDIT_CHECKPOINTS.COUNT),
                r.get(AUDIT_CHECKPOINTS.HEAD_HASH), r.get(AUDIT_CHECKPOINTS.AT).toInstant(), r.get(AUDIT_CHECKPOINTS.KID),
                r.get(AUDIT_CHECKPOINTS.SIGNATURE));
    }

    private static AuditEntry toEntry(Record r) {
        JsonNode changes;
        try {
            changes = JSON.readTree(r.get(AUDIT_ENTRIES.CHANGES));
        } catch (JsonProcessingException e) {
            changes = JSON.getNodeFactory().textNode(r.get(AUDIT_ENTRIES.CHANGES));
        }
        return new AuditEntry(r.get(AUDIT_ENTRIES.ID), r.get(AUDIT_ENTRIES.SEQUENCE), r.get(AUDIT_ENTRIES.GLOBAL_INDEX),
                r.get(AUDIT_ENTRIES.OCCURRED_AT).toInstant(), r.get(AUDIT_ENTRIES.ORGANIZATION_ID),
                r.get(AUDIT_ENTRIES.PROJECT_ID),
                r.get(AUDIT_ENTRIES.ACTOR_TYPE), r.get(AUDIT_ENTRIES.ACTOR_ID), r.get(AUDIT_ENTRIES.IMPERSONATOR_ID),
                r.get(AUDIT_ENTRIES.ACTION), r.get(AUDIT_ENTRIES.RESOURCE_TYPE), r.get(AUDIT_ENTRIES.RESOURCE_ID),
                r.get(AUDIT_ENTRIES.REQUEST_ID), r.get(AUDIT_ENTRIES.IP), r.get(AUDIT_ENTRIES.USER_AGENT), changes,
                r.get(AUDIT_ENTRIES.PREV_HASH), r.get(AUDIT_ENTRIES.HASH));
    }
}
