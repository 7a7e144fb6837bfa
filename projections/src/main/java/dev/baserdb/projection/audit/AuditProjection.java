package dev.baserdb.projection.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.kernel.audit.AuditPayloads;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.baserdb.kernel.readmodel.AuditTables.Entries;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * The audit trail: one hash-chained entry per event, appended in the order this (single-segment,
 * asynchronous) processor sees the event stream. An event already in the trail — after a restart or
 * a replay — is not written again: it is derived anew and compared with what is stored, so a replay
 * doubles as a check that the trail still matches the event store.
 *
 * <p>The processor hands its events over in batches, each in one unit of work and one transaction
 * (its batch size, see {@code EventStoreConfiguration}). The handler only collects them; just
 * before the unit of work commits, the batch is written at once: one query for the events' global
 * indexes, one for the entries already stored, the entries derived in stream order with the chain
 * carried from one to the next, and the new ones inserted as one JDBC batch. The entries are the
 * same, byte for byte, as when each event was handled on its own; what changes is a few statements
 * per batch instead of three or four per event. Payloads are read from their serialized JSON where
 * {@link AuditPayloads} can vouch for it, so most events are never deserialized here.
 */
@Component
@ProcessingGroup(AuditProjection.GROUP)
class AuditProjection {

    static final String GROUP = AuditDerivation.PROCESSOR;

    private static final Logger log = LoggerFactory.getLogger(AuditProjection.class);

    /** Axon's JDBC event table, read only to learn events' global indexes (see {@link Batch#globalIndexes}). */
    private static final Table<Record> EVENTS = table(name("domainevententry"));
    private static final Field<Long> EVENT_GLOBAL_INDEX = field(name("globalindex"), Long.class);
    private static final Field<String> EVENT_IDENTIFIER = field(name("eventidentifier"), String.class);

    /** The columns of an insert, in the order {@link Batch#insert} binds them. */
    private static final Field<?>[] COLUMNS = {Entries.SEQUENCE, Entries.ID, Entries.GLOBAL_INDEX, Entries.OCCURRED_AT,
            Entries.ORGANIZATION_ID, Entries.PROJECT_ID, Entries.ACTOR_TYPE, Entries.ACTOR_ID, Entries.IMPERSONATOR_ID,
            Entries.ACTION, Entries.RESOURCE_TYPE, Entries.RESOURCE_ID, Entries.REQUEST_ID, Entries.IP,
            Entries.USER_AGENT, Entries.CHANGES, Entries.PREV_HASH, Entries.HASH};

    private static final String BATCH = AuditProjection.class.getName() + ".batch";

    private final DSLContext db;
    private final Serializer eventSerializer;
    private final AuditPayloads payloads;
    private final String insert;

    AuditProjection(DSLContext db, @Qualifier("eventSerializer") Serializer eventSerializer) {
        this.db = db;
        this.eventSerializer = eventSerializer;
        this.payloads = AuditPayloads.of(eventSerializer);
        Object[] placeholders = new Object[COLUMNS.length];
        this.insert = db.insertInto(Entries.TABLE, COLUMNS).values(placeholders).getSQL();
    }

    /** No payload parameter: the payload is deserialized only if {@link AuditPayloads} cannot read its JSON. */
    @EventHandler
    void on(EventMessage<?> event, TrackingToken token) {
        Long position = WrappedToken.unwrapLowerBound(token) instanceof GapAwareTrackingToken ? null
                : token.position().orElseThrow(() -> new IllegalStateException("token without position"));
        if (!CurrentUnitOfWork.isStarted()) {
            Batch single = new Batch();
            single.add(event, position);
            single.write();
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        unitOfWork.getOrComputeResource(BATCH, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> batch.write());
            return batch;
        }).add(event, position);
    }

    /** The events of one unit of work, in stream order, written just before it commits. */
    private final class Batch {

        private final List<EventMessage<?>> events = new ArrayList<>();
        /** The event's own global index when its token tells it (not a gap-aware token: see {@link #globalIndexes}). */
        private final List<Long> positions = new ArrayList<>();

        void add(EventMessage<?> event, Long position) {
            events.add(event);
            positions.add(position);
        }

        void write() {
            if (events.isEmpty()) {
                return;
            }
            Map<Long, Record> stored = new HashMap<>();
            long[] globalIndexes = globalIndexes(stored);
            // The costly part, independent per event: each event's changes, and for an event already in
            // the trail its whole entry at its stored place, in parallel; the chain then in stream order.
            JsonNode[] changes = new JsonNode[events.size()];
            String[] storedHashDerived = new String[events.size()];
            IntStream.range(0, events.size()).parallel().forEach(i -> {
                changes[i] = changes(events.get(i));
                Record already = stored.get(globalIndexes[i]);
                if (already != null) {
                    storedHashDerived[i] = AuditDerivation.derive(events.get(i), changes[i], globalIndexes[i],
                            already.get(Entries.SEQUENCE), already.get(Entries.PREV_HASH)).entry().hash();
                }
            });
            List<AuditDerivation.Derived> appended = new ArrayList<>();
            Record2<Long, String> last = null;
            boolean lastRead = false;
            for (int i = 0; i < events.size(); i++) {
                EventMessage<?> event = events.get(i);
                long globalIndex = globalIndexes[i];
                Record already = stored.get(globalIndex);
                if (already != null) {
                    String derivedHash = storedHashDerived[i] != null ? storedHashDerived[i]
                            // an event delivered twice in this batch: its entry was appended just before
                            : AuditDerivation.derive(event, changes[i], globalIndex, already.get(Entries.SEQUENCE),
                            already.get(Entries.PREV_HASH)).entry().hash();
                    if (!derivedHash.equals(already.get(Entries.HASH))) {
                        log.error("Audit entry {} (event {}) does not match the event store: stored hash {}, derived {}",
                                already.get(Entries.ID), event.getIdentifier(), already.get(Entries.HASH), derivedHash);
                    }
                    continue;
                }
                if (!lastRead) {
                    last = db.select(Entries.SEQUENCE, Entries.HASH).from(Entries.TABLE)
                            .orderBy(Entries.SEQUENCE.desc()).limit(1).fetchOne();
                    lastRead = true;
                }
                AuditEntry previous = appended.isEmpty() ? null : appended.get(appended.size() - 1).entry();
                long sequence = previous != null ? previous.sequence() + 1 : last == null ? 1 : last.value1() + 1;
                String prevHash = previous != null ? previous.hash() : last == null ? AuditChain.GENESIS : last.value2();
                AuditDerivation.Derived derived = AuditDerivation.derive(event, changes[i], globalIndex, sequence,
                        prevHash);
                appended.add(derived);
                AuditEntry entry = derived.entry();
                stored.put(globalIndex, db.newRecord(Entries.SEQUENCE, Entries.PREV_HASH, Entries.HASH, Entries.ID)
                        .values(entry.sequence(), entry.prevHash(), entry.hash(), entry.id()));
            }
            insert(appended);
            events.clear();
            positions.clear();
        }

        /**
         * Each event's own global index, and into {@code stored} the entries already in the trail
         * for them (sequence, prev_hash, hash, id). A gap-aware token (the JDBC event store's) does
         * not tell the index: its position is the highest index seen so far, so an event that
         * committed late and fills a gap carries the position of a later event. Taken as the event's
         * index, that made the late event look "already in the trail" and it was never recorded. So
         * those are looked up by event id, the whole batch and its stored entries in one query. Other
         * tokens (Axon Server's global sequence) have no gaps and their position is the event's index.
         */
        private long[] globalIndexes(Map<Long, Record> stored) {
            List<String> unknown = new ArrayList<>();
            List<Long> known = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                if (positions.get(i) == null) {
                    unknown.add(events.get(i).getIdentifier());
                } else {
                    known.add(positions.get(i));
                }
            }
            Map<String, Long> found = new HashMap<>();
            if (!unknown.isEmpty()) {
                db.select(EVENT_IDENTIFIER, EVENT_GLOBAL_INDEX, Entries.SEQUENCE, Entries.PREV_HASH, Entries.HASH,
                                Entries.ID)
                        .from(EVENTS).leftJoin(Entries.TABLE).on(Entries.GLOBAL_INDEX.eq(EVENT_GLOBAL_INDEX))
                        .where(EVENT_IDENTIFIER.in(unknown))
                        .forEach(row -> {
                            found.put(row.get(EVENT_IDENTIFIER), row.get(EVENT_GLOBAL_INDEX));
                            if (row.get(Entries.SEQUENCE) != null) {
                                stored.put(row.get(EVENT_GLOBAL_INDEX), row);
                            }
                        });
            }
            if (!known.isEmpty()) {
                db.select(Entries.GLOBAL_INDEX, Entries.SEQUENCE, Entries.PREV_HASH, Entries.HASH, Entries.ID)
                        .from(Entries.TABLE).where(Entries.GLOBAL_INDEX.in(known))
                        .forEach(row -> stored.put(row.get(Entries.GLOBAL_INDEX), row));
            }
            long[] indexes = new long[events.size()];
            for (int i = 0; i < events.size(); i++) {
                Long index = positions.get(i) != null ? positions.get(i) : found.get(events.get(i).getIdentifier());
                if (index == null) {
                    throw new IllegalStateException("Event " + events.get(i).getIdentifier() + " is not in the event store");
                }
                indexes[i] = index;
            }
            return indexes;
        }

        private void insert(List<AuditDerivation.Derived> entries) {
            if (entries.isEmpty()) {
                return;
            }
            db.connection(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(insert)) {
                    for (AuditDerivation.Derived entry : entries) {
                        bind(statement, entry.entry(), entry.canonicalChanges());
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            });
        }
    }

    private static void bind(PreparedStatement statement, AuditEntry entry, String canonicalChanges)
            throws SQLException {
        statement.setLong(1, entry.sequence());
        statement.setString(2, entry.id());
        statement.setLong(3, entry.globalIndex());
        statement.setObject(4, entry.occurredAt().atOffset(ZoneOffset.UTC));
        statement.setString(5, entry.organizationId());
        statement.setString(6, entry.projectId());
        statement.setString(7, entry.actorType());
        statement.setString(8, entry.actorId());
        statement.setString(9, entry.impersonatorId());
        statement.setString(10, entry.action());
        statement.setString(11, entry.resourceType());
        statement.setString(12, entry.resourceId());
        statement.setString(13, entry.requestId());
        statement.setString(14, entry.ip());
        statement.setString(15, entry.userAgent());
        statement.setString(16, canonicalChanges);
        statement.setString(17, entry.prevHash());
        statement.setString(18, entry.hash());
    }

    /** The event's changes, from its serialized JSON when that can be read directly, else from its payload. */
    private JsonNode changes(EventMessage<?> event) {
        byte[] json;
        try {
            json = event.serializePayload(eventSerializer, byte[].class).getData();
        } catch (RuntimeException e) {
            json = null;
        }
        return payloads.changes(event.getPayloadType(), json, event::getPayload);
    }
}
