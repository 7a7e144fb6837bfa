package dev.baserdb.api.platform.eventstore;

import dev.baserdb.kernel.eventlog.EventLog;
import dev.baserdb.kernel.readmodel.GlobalIndexes;
import dev.baserdb.kernel.readmodel.JdbcRows;
import dev.baserdb.kernel.readmodel.schema.tables.Domainevententry;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.postgresql.PGStatement;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.notExists;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.table;
import static dev.baserdb.kernel.readmodel.schema.Tables.DOMAINEVENTENTRY;

/**
 * {@link EventLog} over Axon's JDBC table {@code domainevententry}, read with SQL in the caller's
 * transaction: the default, and the fast path (audit verify reads its events in batches by
 * global-index range, the anti-join for unrecorded events reads two unique indexes only).
 */
@Component
@ConditionalOnProperty(name = "baserdb.event-log", havingValue = "jdbc", matchIfMissing = true)
class JdbcEventLog implements EventLog {

    private static final Domainevententry EVENTS = DOMAINEVENTENTRY;

    /** Rows per round trip of a replay's cursor. */
    private static final int REPLAY_FETCH = 2000;
    private static final String REPLAY_SQL = "SELECT globalindex, type, aggregateidentifier, sequencenumber,"
            + " eventidentifier, timestamp, payloadtype, payloadrevision, payload, metadata FROM domainevententry"
            + " ORDER BY globalindex";

    private final DSLContext db;
    private final AbstractEventStorageEngine engine;
    /** Axon's configuration, for the upcaster chain the engine was built with. */
    private final org.axonframework.config.Configuration axon;

    JdbcEventLog(DSLContext db, EventStorageEngine engine, org.axonframework.config.Configuration axon) {
        this.db = db;
        this.engine = (AbstractEventStorageEngine) engine;
        this.axon = axon;
    }

    /** The indexes of one batch of the trail are nearly consecutive: see {@link GlobalIndexes#among}. */
    @Override
    public Map<Long, StoredEvent> at(long[] sortedIndexes) {
        Map<Long, StoredEvent> events = new HashMap<>(sortedIndexes.length * 2);
        if (sortedIndexes.length == 0) {
            return events;
        }
        Condition which = GlobalIndexes.among(EVENTS.GLOBALINDEX, box(sortedIndexes));
        for (StoredEvent event : JdbcRows.list(db, db.select(EVENTS.GLOBALINDEX, EVENTS.EVENTIDENTIFIER, EVENTS.TYPE,
                        EVENTS.AGGREGATEIDENTIFIER, EVENTS.SEQUENCENUMBER, EVENTS.PAYLOADTYPE, EVENTS.PAYLOADREVISION,
                        EVENTS.TIMESTAMP, EVENTS.PAYLOAD, EVENTS.METADATA).from(EVENTS).where(which), sortedIndexes.length,
                row -> new StoredEvent(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getLong(5), row.getString(6), row.getString(7), row.getString(8), row.getBytes(9),
                        row.getBytes(10)))) {
            events.put(event.globalIndex(), event);
        }
        return events;
    }

    /** The anti-join reads only the unique indexes; the (usually no) events found are read after. */
    @Override
    public List<StoredEvent> absentFrom(long upTo, List<Field<Long>> recorded) {
        Condition condition = EVENTS.GLOBALINDEX.le(upTo);
        for (Field<Long> column : recorded) {
            Table<?> readModel = table(column.getQualifiedName().qualifier());
            condition = condition.and(notExists(selectOne().from(readModel).where(column.eq(EVENTS.GLOBALINDEX))));
        }
        List<Long> indexes = db.select(EVENTS.GLOBALINDEX).from(EVENTS).where(condition).orderBy(EVENTS.GLOBALINDEX)
                .fetch(EVENTS.GLOBALINDEX);
        if (indexes.isEmpty()) {
            return List.of();
        }
        Map<Long, StoredEvent> events = at(indexes.stream().mapToLong(Long::longValue).toArray());
        return indexes.stream().map(events::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public Map<String, Long> indexesOf(Collection<String> eventIdentifiers, long from) {
        Map<String, Long> found = new HashMap<>();
        db.select(EVENTS.EVENTIDENTIFIER, EVENTS.GLOBALINDEX).from(EVENTS).where(EVENTS.EVENTIDENTIFIER.in(eventIdentifiers))
                .forEach(row -> found.put(row.value1(), row.value2()));
        return found;
    }

    @Override
    public boolean anyAt(Collection<Long> indexes) {
        return db.fetchExists(selectOne().from(EVENTS).where(EVENTS.GLOBALINDEX.in(indexes)));
    }

    @Override
    public long head() {
        Long head = db.select(org.jooq.impl.DSL.max(EVENTS.GLOBALINDEX)).from(EVENTS).fetchOne(0, Long.class);
        return head == null ? 0 : head;
    }

    @Override
    public Long count() {
        try {
            return (long) db.fetchCount(EVENTS);
        } catch (DataAccessException noTable) {
            return null;
        }
    }

    @Override
    public Long sizeBytes() {
        try {
            return db.select(field("pg_total_relation_size(to_regclass({0}))", Long.class, "domainevententry"))
                    .fetchOne(0, Long.class);
        } catch (DataAccessException noTable) {
            return null;
        }
    }

    /** A lock every append conflicts with ({@code SHARE ROW EXCLUSIVE}); appends already under way finish first. */
    @Override
    public boolean holdAppends() {
        db.execute("LOCK TABLE domainevententry IN SHARE ROW EXCLUSIVE MODE");
        return true;
    }

    /**
     * One query over the whole table, read through a cursor ({@link #REPLAY_FETCH} rows per round
     * trip), instead of the engine's tracking reads of 100 events each, which also build a gap-aware
     * token per event (copying its gaps). The events are made as the engine makes them (entries
     * upcast and lazily deserialized by Axon, an event whose aggregate identifier is its own
     * identifier is no domain event); each carries a token at its own global index. The caller's
     * transaction keeps the cursor open while its handlers write through the same connection.
     */
    @Override
    public void replay(Consumer<TrackedEventMessage<?>> each) {
        replay(null, each);
    }

    /**
     * The same, the events {@code stored} takes handed to it as read, in their turn: the upcasting
     * and deserializing stream is lazy, so an event before them has reached {@code each} when they
     * are read, and one after them is read only once they have been handed over.
     */
    @Override
    public void replay(StoredEvents stored, Consumer<TrackedEventMessage<?>> each) {
        db.connection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(REPLAY_SQL)) {
                statement.setFetchSize(REPLAY_FETCH);
                // the payloads and metadata come in binary: not as hex text the driver has to decode
                statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
                try (ResultSet rows = statement.executeQuery();
                     Stream<TrackedEventMessage<?>> stream = EventUtils.upcastAndDeserializeTrackedEvents(
                             StreamSupport.stream(new EntrySpliterator(rows, stored), false),
                             engine.getEventSerializer(), axon.upcasterChain())) {
                    stream.forEachOrdered(each);
                }
            }
        });
    }

    /**
     * The rows of {@link #REPLAY_SQL} as the engine reads them ({@code JdbcEventStorageEngine.getTrackedEventData});
     * those {@code stored} takes go to it instead, as stored.
     */
    private static final class EntrySpliterator extends Spliterators.AbstractSpliterator<TrackedEventData<?>> {

        private final ResultSet rows;
        private final StoredEvents stored;

        EntrySpliterator(ResultSet rows, StoredEvents stored) {
            super(Long.MAX_VALUE, ORDERED | NONNULL);
            this.rows = rows;
            this.stored = stored;
        }

        @Override
        public boolean tryAdvance(Consumer<? super TrackedEventData<?>> action) {
            try {
                while (rows.next()) {
                    long globalIndex = rows.getLong(1);
                    String aggregateIdentifier = rows.getString(3);
                    String eventIdentifier = rows.getString(5);
                    String payloadType = rows.getString(7);
                    String payloadRevision = rows.getString(8);
                    if (stored != null && stored.takes(payloadType, payloadRevision)) {
                        stored.accept(new StoredEvent(globalIndex, eventIdentifier, rows.getString(2),
                                eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                                rows.getLong(4), payloadType, payloadRevision, rows.getString(6), rows.getBytes(9),
                                rows.getBytes(10)));
                        continue;
                    }
                    GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(rows.getString(2),
                            eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier, rows.getLong(4),
                            eventIdentifier, rows.getString(6), payloadType, payloadRevision, rows.getBytes(9),
                            rows.getBytes(10));
                    action.accept(new TrackedDomainEventData<>(
                            GapAwareTrackingToken.newInstance(globalIndex, Collections.emptySortedSet()), entry));
                    return true;
                }
                return false;
            } catch (SQLException e) {
                throw new DataAccessException(e.getMessage(), e);
            }
        }
    }

    private static List<Long> box(long[] values) {
        List<Long> boxed = new ArrayList<>(values.length);
        for (long value : values) {
            boxed.add(value);
        }
        return boxed;
    }
}
