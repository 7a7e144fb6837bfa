package dev.baserdb.projection.audit;

import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditEntry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.ZoneOffset;

import static dev.baserdb.kernel.readmodel.AuditTables.Entries;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * The audit trail: one hash-chained entry per event, appended in the order this (single-segment,
 * asynchronous) processor sees the event stream. An event already in the trail — after a restart or
 * a replay — is not written again: it is derived anew and compared with what is stored, so a replay
 * doubles as a check that the trail still matches the event store.
 */
@Component
@ProcessingGroup(AuditProjection.GROUP)
class AuditProjection {

    static final String GROUP = AuditDerivation.PROCESSOR;

    private static final Logger log = LoggerFactory.getLogger(AuditProjection.class);

    /** Axon's JDBC event table, read only to learn an event's global index (see {@link #globalIndexOf}). */
    private static final Table<Record> EVENTS = table(name("domainevententry"));
    private static final Field<Long> EVENT_GLOBAL_INDEX = field(name("globalindex"), Long.class);
    private static final Field<String> EVENT_IDENTIFIER = field(name("eventidentifier"), String.class);

    private final DSLContext db;

    AuditProjection(DSLContext db) {
        this.db = db;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> event, TrackingToken token) {
        long globalIndex = globalIndexOf(event, token);
        Record stored = db.selectFrom(Entries.TABLE).where(Entries.GLOBAL_INDEX.eq(globalIndex)).fetchOne();
        if (stored != null) {
            verifyAgainstEvent(stored, event, globalIndex);
            return;
        }
        Record2<Long, String> last = db.select(Entries.SEQUENCE, Entries.HASH).from(Entries.TABLE)
                .orderBy(Entries.SEQUENCE.desc()).limit(1).fetchOne();
        long sequence = last == null ? 1 : last.value1() + 1;
        String prevHash = last == null ? AuditChain.GENESIS : last.value2();
        AuditEntry entry = AuditDerivation.entryFor(event, globalIndex, sequence, prevHash);
        db.insertInto(Entries.TABLE)
                .set(Entries.SEQUENCE, entry.sequence())
                .set(Entries.ID, entry.id())
                .set(Entries.GLOBAL_INDEX, entry.globalIndex())
                .set(Entries.OCCURRED_AT, entry.occurredAt().atOffset(ZoneOffset.UTC))
                .set(Entries.ORGANIZATION_ID, entry.organizationId())
                .set(Entries.PROJECT_ID, entry.projectId())
                .set(Entries.ACTOR_TYPE, entry.actorType())
                .set(Entries.ACTOR_ID, entry.actorId())
                .set(Entries.IMPERSONATOR_ID, entry.impersonatorId())
                .set(Entries.ACTION, entry.action())
                .set(Entries.RESOURCE_TYPE, entry.resourceType())
                .set(Entries.RESOURCE_ID, entry.resourceId())
                .set(Entries.REQUEST_ID, entry.requestId())
                .set(Entries.IP, entry.ip())
                .set(Entries.USER_AGENT, entry.userAgent())
                .set(Entries.CHANGES, AuditChain.canonical(entry.changes()))
                .set(Entries.PREV_HASH, entry.prevHash())
                .set(Entries.HASH, entry.hash())
                .execute();
    }

    /**
     * The event's own global index. A gap-aware token (the JDBC event store's) does not tell it: its
     * position is the highest index seen so far, so an event that committed late and fills a gap
     * carries the position of a later event. Taken as the event's index, that made the late event look
     * "already in the trail" and it was never recorded. Other tokens (Axon Server's global sequence)
     * have no gaps and their position is the event's index.
     */
    private long globalIndexOf(EventMessage<?> event, TrackingToken token) {
        if (WrappedToken.unwrapLowerBound(token) instanceof GapAwareTrackingToken) {
            Long index = db.select(EVENT_GLOBAL_INDEX).from(EVENTS)
                    .where(EVENT_IDENTIFIER.eq(event.getIdentifier())).fetchOne(EVENT_GLOBAL_INDEX);
            if (index == null) {
                throw new IllegalStateException("Event " + event.getIdentifier() + " is not in the event store");
            }
            return index;
        }
        return token.position().orElseThrow(() -> new IllegalStateException("token without position"));
    }

    private void verifyAgainstEvent(Record stored, EventMessage<?> event, long globalIndex) {
        AuditEntry derived = AuditDerivation.entryFor(event, globalIndex, stored.get(Entries.SEQUENCE), stored.get(Entries.PREV_HASH));
        if (!derived.hash().equals(stored.get(Entries.HASH))) {
            log.error("Audit entry {} (event {}) does not match the event store: stored hash {}, derived {}",
                    stored.get(Entries.ID), event.getIdentifier(), stored.get(Entries.HASH), derived.hash());
        }
    }
}
