package dev.baserdb.projection.audit;

import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.kernel.audit.TrailPosition;
import dev.baserdb.kernel.eventlog.EventLog;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static dev.baserdb.kernel.readmodel.AuditTables.Pending;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_PENDING;

/**
 * Puts audit entries into the hash chain in global-index order, also when events commit out of
 * order. With the JDBC event store, a transaction that took global index 9 may commit after the one
 * that took 10; the audit processor then sees 10 first and its token keeps 9 as a gap. An entry
 * with such a gap below it is held back (in {@code audit_pending}, in the same transaction as the
 * processor's token, so nothing is lost in a crash) until the gap is settled:
 * <ul>
 *   <li>filled: the event committed, and the processor delivers it (its token still lists the gap);</li>
 *   <li>or abandoned: the event is not in the store, and every transaction that was appending events
 *   when the entry was held back has ended — the one that drew the index was among them (it drew it
 *   before the later event's transaction drew its own, which had committed), so it rolled back;</li>
 *   <li>or given up by the processor: an index its token no longer lists as a gap is never delivered
 *   (Axon's gap timeout); verify reports such an event as missing.</li>
 * </ul>
 * Held entries then join the chain in global-index order. The processor's batches settle what they
 * can; a scheduled job settles the rest when no more events come. Every writer of the chain takes
 * {@link #lock()} first, so one appends at a time, whichever node it runs on.
 *
 * <p>The appenders are the transactions holding the lock an insert into the event table takes before
 * it draws its index ({@code event_appenders()}, {@code V12_3__event_appenders.sql}), not the
 * transaction ids a snapshot lists: those miss an appender whose id came after the latest completed
 * transaction's, and one that has drawn its index but has no id yet.
 */
@Component
class AuditChainer {

    private static final Logger log = LoggerFactory.getLogger(AuditChainer.class);

    /** The columns of a chain insert, in the order {@link #bindEntry} binds them. */
    private static final Field<?>[] CHAIN_COLUMNS = {AUDIT_ENTRIES.SEQUENCE, AUDIT_ENTRIES.ID, AUDIT_ENTRIES.GLOBAL_INDEX,
            AUDIT_ENTRIES.OCCURRED_AT, AUDIT_ENTRIES.ORGANIZATION_ID, AUDIT_ENTRIES.PROJECT_ID,
            AUDIT_ENTRIES.ACTOR_TYPE, AUDIT_ENTRIES.ACTOR_ID,
            AUDIT_ENTRIES.IMPERSONATOR_ID, AUDIT_ENTRIES.ACTION, AUDIT_ENTRIES.RESOURCE_TYPE,
            AUDIT_ENTRIES.RESOURCE_ID, AUDIT_ENTRIES.REQUEST_ID,
            AUDIT_ENTRIES.IP, AUDIT_ENTRIES.USER_AGENT, AUDIT_ENTRIES.CHANGES, AUDIT_ENTRIES.PREV_HASH, AUDIT_ENTRIES.HASH};

    private final DSLContext db;
    /** The event store: whether a gap has been filled since. */
    private final EventLog events;
    private final Serializer tokenSerializer;
    private final TransactionTemplate transaction;
    private final String insertEntry;
    private final String insertPending;

    AuditChainer(DSLContext db, EventLog events, Serializer tokenSerializer,
                 PlatformTransactionManager transactionManager) {
        this.db = db;
        this.events = events;
        this.tokenSerializer = tokenSerializer;
        this.transaction = new TransactionTemplate(transactionManager);
        this.insertEntry = db.insertInto(AUDIT_ENTRIES, CHAIN_COLUMNS).values(new Object[CHAIN_COLUMNS.length])
                .getSQL();
        // The pending table has the entry's columns under the same names; the last is filled by the database.
        StringBuilder columns = new StringBuilder();
        for (Field<?> column : Pending.COLUMNS) {
            columns.append(columns.isEmpty() ? "" : ", ").append(DSL.name(column.getName()));
        }
        this.insertPending = "insert into " + AUDIT_PENDING.getName() + " (" + columns + ", "
                + DSL.name(AUDIT_PENDING.APPENDERS.getName()) + ") values ("
                + "?, ".repeat(Pending.COLUMNS.length) + "?) on conflict do nothing";
    }

    /** Called first by every writer of the chain, in its transaction: one writer at a time, on any node. */
    void lock() {
        db.execute("LOCK TABLE audit_pending IN SHARE ROW EXCLUSIVE MODE");
    }

    /**
     * Appends to the chain, in global-index order, {@code fresh} entries (derived in this
     * transaction, at no place in the chain yet) and those held back before, as far as no gap of
     * {@code position} below them may still fill; holds the rest back. The caller holds {@link #lock()}.
     */
    void append(List<AuditDerivation.Derived> fresh, TrailPosition position) {
        TreeMap<Long, Candidate> candidates = new TreeMap<>();
        db.select(Pending.COLUMNS).from(AUDIT_PENDING).forEach(row -> {
            Candidate held = Candidate.held(row);
            candidates.put(held.globalIndex(), held);
        });
        for (AuditDerivation.Derived derived : fresh) {
            candidates.putIfAbsent(derived.entry().globalIndex(), new Candidate(derived.entry(),
                    derived.canonicalChanges(), false));
        }
        if (candidates.isEmpty()) {
            return;
        }
        Record3<Long, String, Long> head = db.select(AUDIT_ENTRIES.SEQUENCE, AUDIT_ENTRIES.HASH,
                        DSL.field(DSL.select(DSL.max(AUDIT_ENTRIES.GLOBAL_INDEX)).from(AUDIT_ENTRIES)))
                .from(AUDIT_ENTRIES).orderBy(AUDIT_ENTRIES.SEQUENCE.desc()).limit(1).fetchOne();
        long sequence = head == null ? 0 : head.value1();
        String prevHash = head == null ? AuditChain.GENESIS : head.value2();
        long next = head == null ? 1 : head.value3() + 1;

        List<Candidate> chained = new ArrayList<>();
        List<Candidate> held = new ArrayList<>();
        for (Candidate candidate : candidates.values()) {
            if (held.isEmpty() && mayStillFill(next, candidate, position)) {
                held.add(candidate);
            } else if (!held.isEmpty()) {
                held.add(candidate);
            } else {
                chained.add(candidate);
                next = Math.max(next, candidate.globalIndex() + 1);
            }
        }
        List<AuditEntry> entries = new ArrayList<>(chained.size());
        for (Candidate candidate : chained) {
            AuditEntry entry = candidate.entry().chained(++sequence, prevHash, candidate.canonicalChanges());
            entries.add(entry);
            prevHash = entry.hash();
        }
        write(chained, entries, held);
    }

    /**
     * Whether an index below {@code candidate} and from {@code next} on, which the processor still
     * awaits (a gap of its token), may yet be filled: its event has committed since, or a
     * transaction that was appending events when the candidate was held back (now, for a fresh one)
     * has not ended.
     */
    private boolean mayStillFill(long next, Candidate candidate, TrailPosition position) {
        List<Long> awaited = position.gaps().stream()
                .filter(gap -> gap >= next && gap < candidate.globalIndex()).toList();
        if (awaited.isEmpty()) {
            return false;
        }
        // First whether a transaction that may hold the index is still appending, then whether it
        // committed: two statements, so a commit between them is seen by the second.
        Object appending = candidate.held()
                ? db.select(DSL.field("event_appenders_remain({0})", Boolean.class, AUDIT_PENDING.APPENDERS))
                .from(AUDIT_PENDING).where(AUDIT_PENDING.GLOBAL_INDEX.eq(candidate.globalIndex())).fetchOne(0)
                : db.fetchValue("select cardinality(event_appenders()) > 0");
        if (Boolean.TRUE.equals(appending)) {
            return true;
        }
        return events.anyAt(awaited);
    }

    private void write(List<Candidate> chained, List<AuditEntry> entries, List<Candidate> held) {
        db.connection(connection -> {
            if (!entries.isEmpty()) {
                try (PreparedStatement statement = connection.prepareStatement(insertEntry)) {
                    for (int i = 0; i < entries.size(); i++) {
                        bindEntry(statement, entries.get(i), chained.get(i).canonicalChanges());
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            }
            List<Candidate> newlyHeld = held.stream().filter(candidate -> !candidate.held()).toList();
            if (!newlyHeld.isEmpty()) {
                // the appenders in flight now, asked once for all the entries held back here
                Array appenders;
                try (Statement query = connection.createStatement();
                     ResultSet result = query.executeQuery("select event_appenders()")) {
                    result.next();
                    appenders = result.getArray(1);
                }
                try (PreparedStatement statement = connection.prepareStatement(insertPending)) {
                    for (Candidate candidate : newlyHeld) {
                        bindPending(statement, candidate.entry(), candidate.canonicalChanges());
                        statement.setArray(Pending.COLUMNS.length + 1, appenders);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            }
        });
        List<Long> settled = chained.stream().filter(Candidate::held).map(Candidate::globalIndex).toList();
        if (!settled.isEmpty()) {
            db.deleteFrom(AUDIT_PENDING).where(AUDIT_PENDING.GLOBAL_INDEX.in(settled)).execute();
        }
    }

    /** Settles held entries when no event comes to do it (the processor's batches do it otherwise). */
    @Scheduled(fixedDelayString = "${baserdb.audit.settle-every:PT0.2S}")
    void scheduled() {
        try {
            settle();
        } catch (RuntimeException e) {
            log.warn("Could not settle held audit entries: {}", e.getMessage());
        }
    }

    /** Appends the held entries whose gaps have settled, against the processor's stored token. */
    void settle() {
        if (!db.fetchExists(AUDIT_PENDING)) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            lock();
            Record2<byte[], String> token = db.select(DSL.field(TrailPosition.tokenColumn(TrailPosition.TOKEN)),
                    DSL.field(TrailPosition.tokenColumn(TrailPosition.TOKEN_TYPE))).fetchSingle();
            append(List.of(), TrailPosition.current(token.value1(), token.value2(), tokenSerializer));
        });
    }

    /** An entry that may join the chain: just derived, or {@code held} back before. */
    private record Candidate(AuditEntry entry, String canonicalChanges, boolean held) {

        long globalIndex() {
            return entry.globalIndex();
        }

        /** A row of the pending table ({@code Pending.COLUMNS}, in their order). */
        static Candidate held(Record row) {
            AuditEntry entry = new AuditEntry(row.get(0, String.class), 0, row.get(1, Long.class),
                    row.get(2, OffsetDateTime.class).toInstant(), row.get(3, String.class),
                    row.get(4, String.class), row.get(5, String.class), row.get(6, String.class),
                    row.get(7, String.class), row.get(8, String.class), row.get(9, String.class),
                    row.get(10, String.class), row.get(11, String.class), row.get(12, String.class),
                    row.get(13, String.class), null, null, null);
            return new Candidate(entry, row.get(14, String.class), true);
        }
    }

    private static void bindEntry(PreparedStatement statement, AuditEntry entry, String canonicalChanges)
            throws SQLException {
        statement.setLong(1, entry.sequence());
        statement.setString(2, entry.id());
        statement.setLong(3, entry.globalIndex());
        bindContent(statement, 4, entry);
        statement.setString(16, canonicalChanges);
        statement.setString(17, entry.prevHash());
        statement.setString(18, entry.hash());
    }

    private static void bindPending(PreparedStatement statement, AuditEntry entry, String canonicalChanges)
            throws SQLException {
        statement.setString(1, entry.id());
        statement.setLong(2, entry.globalIndex());
        bindContent(statement, 3, entry);
        statement.setString(15, canonicalChanges);
    }

    /** The entry's columns from occurred_at to user_agent, from parameter {@code first} on. */
    private static void bindContent(PreparedStatement statement, int first, AuditEntry entry) throws SQLException {
        statement.setObject(first, entry.occurredAt().atOffset(ZoneOffset.UTC));
        statement.setString(first + 1, entry.organizationId());
        statement.setString(first + 2, entry.projectId());
        statement.setString(first + 3, entry.actorType());
        statement.setString(first + 4, entry.actorId());
        statement.setString(first + 5, entry.impersonatorId());
        statement.setString(first + 6, entry.action());
        statement.setString(first + 7, entry.resourceType());
        statement.setString(first + 8, entry.resourceId());
        statement.setString(first + 9, entry.requestId());
        statement.setString(first + 10, entry.ip());
        statement.setString(first + 11, entry.userAgent());
    }
}
