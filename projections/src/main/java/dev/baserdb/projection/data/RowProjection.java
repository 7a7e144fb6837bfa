package dev.baserdb.projection.data;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.data.RowEvents;
import dev.baserdb.kernel.data.RowEvents.RowDeleted;
import dev.baserdb.kernel.data.RowEvents.RowInserted;
import dev.baserdb.kernel.data.RowEvents.RowRestored;
import dev.baserdb.kernel.data.RowEvents.RowUpdated;
import dev.baserdb.kernel.data.RowWrites;
import dev.baserdb.kernel.data.RunAs;
import dev.baserdb.kernel.eventlog.EventLog;
import dev.baserdb.kernel.eventlog.SerializedEvents;
import dev.baserdb.kernel.eventlog.StoredEventHandler;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;

/**
 * The data plane's row side: each row event writes the physical row and a new version in the
 * table's history ({@link RowWrites}), in the same transaction as the event. Inserts are collected
 * for the events of one batch (a data-API batch or transaction is one unit of work, and so is a
 * batch of a replay) and written set-based before anything else touches the tables: at the last
 * event of the batch, before any other row or table event, and at the latest before the batch
 * commits. A write of an {@code anon} or {@code authenticated} data-API caller runs under the
 * project's role for it ({@link RunAs}), so PostgreSQL's row-level security decides it: a refused
 * write fails the statement and the command rolls back, event and all.
 *
 * <p>A rebuild takes the inserts the short way ({@link StoredEventHandler}): their stored payload
 * and metadata are read into the very values the handler gets (the event serializer's own Jackson
 * readers), a batch on another core while the batch before is written as the handler writes it.
 */
@Component
@ProcessingGroup(TableProjection.GROUP)
class RowProjection implements StoredEventHandler {

    /** Metadata set by the data API: the caller's API role ("anon"/"authenticated") and row id. */
    static final String DATA_ROLE = "data_role";
    static final String DATA_USER_ID = "data_user_id";
    private static final String ACTOR_TYPE = "actor_type";
    private static final String ACTOR_ID = "actor_id";
    /** The metadata a row's write reads. */
    private static final Set<String> WRITE_METADATA = Set.of(DATA_ROLE, DATA_USER_ID, ACTOR_TYPE, ACTOR_ID);
    private static final String PENDING = RowProjection.class.getName() + ".pending";
    private static final String INSERTED = RowInserted.class.getName();
    private static final String INSERTED_REVISION = RowInserted.class.getAnnotation(Revision.class).value();
    /** The transaction resource under which a rebuild of the data plane keeps its state. */
    private static final Object REBUILDING = new Object();
    /** Stored inserts of a rebuild read at once, then written. */
    private static final int STORED_BATCH = 1000;

    private final DSLContext db;
    private final DataCatalog catalog;
    private final DatabaseRoles roles;
    private final long statementTimeoutMillis;
    /** The event serializer's readers of an insert's payload and of metadata; null when it is not Jackson's. */
    private final ObjectReader insertedReader;
    private final ObjectReader metaDataReader;

    RowProjection(DSLContext db, DataCatalog catalog, DatabaseRoles roles,
                  @Value("${baserdb.database.statement-timeout:5s}") Duration statementTimeout,
                  @Qualifier("eventSerializer") Serializer eventSerializer) {
        this.db = db;
        this.catalog = catalog;
        this.roles = roles;
        this.statementTimeoutMillis = statementTimeout.toMillis();
        // what JacksonSerializer.deserialize reads them with
        boolean jackson = eventSerializer instanceof JacksonSerializer;
        this.insertedReader = jackson ? ((JacksonSerializer) eventSerializer).getObjectMapper()
                .readerFor(RowInserted.class) : null;
        this.metaDataReader = jackson ? ((JacksonSerializer) eventSerializer).getObjectMapper()
                .readerFor(MetaData.class) : null;
    }

    @EventHandler
    void on(RowInserted event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        DataTable table = table(event);
        Pending pending = pending();
        pending.add(table, runAs(table, message.getMetaData()), write(event, event.values(), message, version, at));
        if (lastOfBatch()) {
            pending.flush();
        }
    }

    @EventHandler
    void on(RowUpdated event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        flushPending();
        DataTable table = table(event);
        RowWrites.update(db, table, write(event, event.changes(), message, version, at),
                runAs(table, message.getMetaData()), statementTimeoutMillis);
    }

    @EventHandler
    void on(RowDeleted event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        flushPending();
        DataTable table = table(event);
        RowWrites.delete(db, table, write(event, null, message, version, at), runAs(table, message.getMetaData()),
                statementTimeoutMillis);
    }

    @EventHandler
    void on(RowRestored event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        flushPending();
        RowWrites.restore(db, table(event), write(event, null, message, version, at));
    }

    /** Writes the inserts collected so far: before any other write to the data plane in this batch. */
    void flushPending() {
        if (CurrentUnitOfWork.isStarted()) {
            Pending pending = CurrentUnitOfWork.get().getResource(PENDING);
            if (pending != null) {
                pending.flush();
            }
        }
    }

    private DataTable table(RowEvents event) {
        return catalog.table(event.tableId().value())
                .orElseThrow(() -> new IllegalStateException("No managed table " + event.tableId().value()));
    }

    private RunAs runAs(DataTable table, MetaData meta) {
        return RunAs.of(roles, table.projectId(), text(meta, DATA_ROLE), text(meta, DATA_USER_ID));
    }

    private static RowWrites.Write write(RowEvents event, ObjectNode values, EventMessage<?> message, long version,
                                         Instant at) {
        return write(event, values, message.getIdentifier(), message.getMetaData(), version, at);
    }

    private static RowWrites.Write write(RowEvents event, ObjectNode values, String eventId, MetaData meta,
                                         long version, Instant at) {
        return new RowWrites.Write(UUID.fromString(event.rowId()), values, utc(at), version, eventId,
                text(meta, ACTOR_TYPE), text(meta, ACTOR_ID));
    }

    @Override
    public String processingGroup() {
        return TableProjection.GROUP;
    }

    /** Inserts of the current revision; the other events (and older inserts, which upcasters may change) go through Axon. */
    @Override
    public boolean takes(String payloadType, String payloadRevision) {
        return insertedReader != null && INSERTED.equals(payloadType) && INSERTED_REVISION.equals(payloadRevision);
    }

    @Override
    public Rebuild rebuild() {
        StoredInserts rebuild = new StoredInserts();
        // known to the other handlers of the data plane for the rebuild's transaction (historyIndexesAtEnd)
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.bindResource(REBUILDING, rebuild);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(REBUILDING);
                }
            });
        }
        return rebuild;
    }

    /**
     * During a rebuild of the data plane, leaves a new history table's own indexes
     * ({@link RowWrites#createHistoryIndexes}) to the rebuild's end, where they are built once from
     * every version loaded (and are not made, dropped at the first insert and made again), and
     * answers true; outside a rebuild, false: the caller makes them.
     */
    boolean historyIndexesAtEnd(String schema, String tableId) {
        if (!(TransactionSynchronizationManager.getResource(REBUILDING) instanceof StoredInserts rebuild)) {
            return false;
        }
        rebuild.unindexed.putIfAbsent(tableId, schema);
        return true;
    }

    /** A stored insert read as its handler gets it: the payload, the metadata and the timestamp. */
    private record Inserted(EventLog.StoredEvent stored, RowInserted event, MetaData meta, Instant at) {
    }

    private Inserted read(EventLog.StoredEvent stored) {
        try {
            return new Inserted(stored, insertedReader.readValue(stored.payload()), writeMetaData(stored.metaData()),
                    SerializedEvents.timestamp(stored.timestamp()));
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable event " + stored.eventIdentifier(), e);
        }
    }

    /**
     * The stored metadata the write reads ({@link #WRITE_METADATA}), the rest skipped, when
     * {@link SerializedEvents#textMetaData} can vouch for those values; otherwise read by the
     * event serializer's reader.
     */
    private MetaData writeMetaData(byte[] json) throws IOException {
        Map<String, String> text = SerializedEvents.textMetaData(metaDataReader.getFactory(), json, WRITE_METADATA);
        return text != null ? MetaData.from(text) : metaDataReader.readValue(json);
    }

    /**
     * The inserts of one rebuild, written as {@link #on(RowInserted, EventMessage, long, Instant)}
     * writes them, a batch at a time. A batch is read on another core while the one before it is
     * written, so that reading overlaps with PostgreSQL's work; every write stays on the rebuild's
     * thread, in its transaction, in the order of the events.
     *
     * <p>A history table's own indexes ({@link RowWrites#createHistoryIndexes}) are dropped before the
     * rebuild's first insert into it (or, for a table the rebuild creates, not made:
     * {@link #historyIndexesAtEnd}) and built at its end, at once: no write of the data plane reads
     * them, and PostgreSQL builds an index from sorted rows for a fraction of what it costs to add
     * every version to it one at a time. A rebuild holds a lock on every index it makes until it
     * commits, so an index made and dropped again also cost a slot of PostgreSQL's bounded lock table.
     */
    private final class StoredInserts implements Rebuild {

        private List<EventLog.StoredEvent> events = new ArrayList<>(STORED_BATCH);
        /** The batch before, being read; null when there is none. */
        private CompletableFuture<List<Inserted>> reading;
        /** The tables whose history indexes this rebuild dropped or did not make yet: their schemas by table id. */
        private final Map<String, String> unindexed = new LinkedHashMap<>();

        @Override
        public void handle(EventLog.StoredEvent event) {
            events.add(event);
            if (events.size() == STORED_BATCH) {
                List<EventLog.StoredEvent> batch = events;
                events = new ArrayList<>(STORED_BATCH);
                List<Inserted> before = awaitReading();
                // the common pool, not CompletableFuture's default, which on 2 cores starts a thread per batch
                reading = CompletableFuture.supplyAsync(() -> batch.stream().map(RowProjection.this::read).toList(),
                        ForkJoinPool.commonPool());
                written(before);
            }
        }

        @Override
        public void flush() {
            written(awaitReading());
            written(events.parallelStream().map(RowProjection.this::read).toList());
            events.clear();
        }

        @Override
        public void finish() {
            flush();
            unindexed.forEach((tableId, schema) -> {
                // the table may have been dropped since, with its history
                if (db.fetchValue("SELECT to_regclass(format('%I.%I', ?::text, ?::text)) IS NOT NULL", schema,
                        DataTable.historyName(tableId)) instanceof Boolean exists && exists) {
                    RowWrites.createHistoryIndexes(schema, tableId).forEach(db::execute);
                }
            });
            unindexed.clear();
        }

        private void unindexed(DataTable table) {
            if (unindexed.putIfAbsent(table.id(), table.schema()) == null) {
                RowWrites.dropHistoryIndexes(table.schema(), table.id()).forEach(db::execute);
            }
        }

        private List<Inserted> awaitReading() {
            if (reading == null) {
                return List.of();
            }
            try {
                return reading.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            } finally {
                reading = null;
            }
        }

        /**
         * The tables are looked up here, on the rebuild's thread (in its transaction), once per run of
         * inserts into one table: nothing else changes the tables meanwhile.
         */
        private void written(List<Inserted> inserted) {
            if (inserted.isEmpty()) {
                return;
            }
            Pending pending = new Pending();
            DataTable table = null;
            for (Inserted insert : inserted) {
                if (table == null || !table.id().equals(insert.event().tableId().value())) {
                    table = table(insert.event());
                    unindexed(table);
                }
                pending.add(table, runAs(table, insert.meta()), RowProjection.write(insert.event(), insert.event().values(),
                        insert.stored().eventIdentifier(), insert.meta(), insert.stored().sequenceNumber(), insert.at()));
            }
            pending.flush();
        }
    }

    /** The inserts of this unit of work not yet written (written at the latest when it prepares to commit). */
    private Pending pending() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new Pending();
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.getOrComputeResource(PENDING, key -> {
            Pending created = new Pending();
            unitOfWork.onPrepareCommit(u -> created.flush());
            return created;
        });
    }

    /** Whether the event being handled is the last of its batch (or comes alone). */
    private static boolean lastOfBatch() {
        if (!CurrentUnitOfWork.isStarted()) {
            return true;
        }
        return !(CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batch) || batch.isLastMessage();
    }

    private static String text(MetaData meta, String key) {
        Object value = meta.get(key);
        return value == null ? null : value.toString();
    }

    /** Inserts in the order of their events; consecutive ones of one table and caller go in one statement. */
    private final class Pending {

        private final List<RowWrites.Write> rows = new ArrayList<>();
        private DataTable table;
        private RunAs runAs;
        private final List<Runnable> earlier = new ArrayList<>();

        void add(DataTable of, RunAs as, RowWrites.Write row) {
            if (!rows.isEmpty() && (!table.id().equals(of.id()) || !Objects.equals(runAs, as))) {
                List<RowWrites.Write> run = List.copyOf(rows);
                DataTable runTable = table;
                RunAs runRole = runAs;
                earlier.add(() -> RowWrites.insert(db, runTable, run, runRole, statementTimeoutMillis));
                rows.clear();
            }
            table = of;
            runAs = as;
            rows.add(row);
        }

        void flush() {
            List<Runnable> runs = new ArrayList<>(earlier);
            earlier.clear();
            List<RowWrites.Write> last = List.copyOf(rows);
            rows.clear();
            runs.forEach(Runnable::run);
            if (!last.isEmpty()) {
                RowWrites.insert(db, table, last, runAs, statementTimeoutMillis);
            }
        }
    }
}
