package dev.baserdb.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditEntry;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static dev.baserdb.kernel.readmodel.AuditTables.Entries;

/** Reads and verifies the audit trail. */
@Service
public class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STREAM_FETCH_SIZE = 500;

    private final DSLContext db;
    private final TransactionTemplate readOnly;

    public AuditLog(DSLContext db, PlatformTransactionManager transactionManager) {
        this.db = db;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
    }

    /** Newest first; {@code before} is the cursor (a sequence number) of the previous page's last entry. */
    public List<AuditEntry> list(AuditFilter filter, Long before, int limit) {
        Condition condition = condition(filter);
        if (before != null) {
            condition = condition.and(Entries.SEQUENCE.lt(before));
        }
        return db.selectFrom(Entries.TABLE).where(condition).orderBy(Entries.SEQUENCE.desc()).limit(limit)
                .fetch(AuditLog::toEntry);
    }

    public Optional<AuditEntry> find(String id) {
        return db.selectFrom(Entries.TABLE).where(Entries.ID.eq(id)).fetchOptional().map(AuditLog::toEntry);
    }

    public long count() {
        return db.fetchCount(Entries.TABLE);
    }

    /** Every matching entry, oldest first, read through a database cursor (never all in memory). */
    public void stream(AuditFilter filter, Consumer<AuditEntry> sink) {
        readOnly.executeWithoutResult(status -> {
            try (Cursor<Record> cursor = db.selectFrom(Entries.TABLE).where(condition(filter))
                    .orderBy(Entries.SEQUENCE).fetchSize(STREAM_FETCH_SIZE).fetchLazy()) {
                cursor.forEach(record -> sink.accept(toEntry(record)));
            }
        });
    }

    /**
     * Recomputes the chain over the window [from, to]: every entry must follow its predecessor
     * (sequence + 1, prev_hash = the predecessor's hash) and hash to what it stores. The whole
     * chain is walked in the window, so an edit, insertion or deletion anywhere in it is found;
     * {@code checked} counts the entries of the organization (all entries when none is given).
     */
    public Verification verify(String organizationId, Instant from, Instant to) {
        return readOnly.execute(status -> {
            Condition window = condition(new AuditFilter(null, null, null, null, null, null, from, to));
            AuditEntry previous = null;
            boolean first = true;
            long checked = 0;
            String headHash = null;
            try (Cursor<Record> cursor = db.selectFrom(Entries.TABLE).where(window).orderBy(Entries.SEQUENCE)
                    .fetchSize(STREAM_FETCH_SIZE).fetchLazy()) {
                for (Record record : cursor) {
                    AuditEntry entry = toEntry(record);
                    if (first) {
                        previous = predecessor(entry.sequence());
                        first = false;
                    }
                    boolean mine = organizationId == null || organizationId.equals(entry.organizationId());
                    if (!follows(previous, entry) || !entry.hash().equals(entry.expectedHash())) {
                        return new Verification(false, checked + (mine ? 1 : 0), headHash, entry.id());
                    }
                    if (mine) {
                        checked++;
                        headHash = entry.hash();
                    }
                    previous = entry;
                }
            }
            return new Verification(true, checked, headHash, null);
        });
    }

    /** Counts of changes by action, resource type and actor in a period. */
    public List<ChangeCount> changes(AuditFilter filter) {
        var count = DSL.count();
        return db.select(Entries.ACTION, Entries.RESOURCE_TYPE, Entries.ACTOR_TYPE, Entries.ACTOR_ID, count)
                .from(Entries.TABLE).where(condition(filter))
                .groupBy(Entries.ACTION, Entries.RESOURCE_TYPE, Entries.ACTOR_TYPE, Entries.ACTOR_ID)
                .orderBy(Entries.ACTION, Entries.ACTOR_ID)
                .fetch(r -> new ChangeCount(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    private AuditEntry predecessor(long sequence) {
        return sequence <= 1 ? null : db.selectFrom(Entries.TABLE).where(Entries.SEQUENCE.eq(sequence - 1))
                .fetchOptional().map(AuditLog::toEntry).orElse(MISSING);
    }

    /** Stands for a predecessor that should exist but does not (a deleted entry). */
    private static final AuditEntry MISSING = new AuditEntry(null, -1, -1, Instant.EPOCH, null, null, null, null,
            null, "missing", "missing", "missing", null, null, null, null, null, null);

    private static boolean follows(AuditEntry previous, AuditEntry entry) {
        if (previous == null) {
            return entry.sequence() == 1 && AuditChain.GENESIS.equals(entry.prevHash());
        }
        return previous != MISSING && entry.sequence() == previous.sequence() + 1
                && entry.prevHash().equals(previous.hash());
    }

    private static Condition condition(AuditFilter filter) {
        List<Condition> conditions = new ArrayList<>();
        if (filter.organizationId() != null) {
            conditions.add(Entries.ORGANIZATION_ID.eq(filter.organizationId()));
        }
        if (filter.projectId() != null) {
            conditions.add(Entries.PROJECT_ID.eq(filter.projectId()));
        }
        if (filter.actorId() != null) {
            conditions.add(Entries.ACTOR_ID.eq(filter.actorId()));
        }
        if (filter.action() != null) {
            conditions.add(Entries.ACTION.eq(filter.action()));
        }
        if (filter.resourceType() != null) {
            conditions.add(Entries.RESOURCE_TYPE.eq(filter.resourceType()));
        }
        if (filter.resourceId() != null) {
            conditions.add(Entries.RESOURCE_ID.eq(filter.resourceId()));
        }
        if (filter.from() != null) {
            conditions.add(Entries.OCCURRED_AT.ge(filter.from().atOffset(ZoneOffset.UTC)));
        }
        if (filter.to() != null) {
            conditions.add(Entries.OCCURRED_AT.lt(filter.to().atOffset(ZoneOffset.UTC)));
        }
        return DSL.and(conditions);
    }

    private static AuditEntry toEntry(Record r) {
        JsonNode changes;
        try {
            changes = JSON.readTree(r.get(Entries.CHANGES));
        } catch (JsonProcessingException e) {
            changes = JSON.getNodeFactory().textNode(r.get(Entries.CHANGES));
        }
        return new AuditEntry(r.get(Entries.ID), r.get(Entries.SEQUENCE), r.get(Entries.GLOBAL_INDEX),
                r.get(Entries.OCCURRED_AT).toInstant(), r.get(Entries.ORGANIZATION_ID), r.get(Entries.PROJECT_ID),
                r.get(Entries.ACTOR_TYPE), r.get(Entries.ACTOR_ID), r.get(Entries.IMPERSONATOR_ID),
                r.get(Entries.ACTION), r.get(Entries.RESOURCE_TYPE), r.get(Entries.RESOURCE_ID),
                r.get(Entries.REQUEST_ID), r.get(Entries.IP), r.get(Entries.USER_AGENT), changes,
                r.get(Entries.PREV_HASH), r.get(Entries.HASH));
    }
}
