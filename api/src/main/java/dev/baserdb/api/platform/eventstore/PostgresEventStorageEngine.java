package dev.baserdb.api.platform.eventstore;

import dev.baserdb.kernel.eventlog.SerializedEvents;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Axon's JDBC storage engine, writing the same timestamp text with less work: the events of a
 * command are made within a few milliseconds of each other and the text has millisecond precision,
 * so each thread formats a millisecond once and reuses the text for the events that follow in the
 * same millisecond (a data-API batch of 500 rows spent 6 % of its time formatting timestamps).
 *
 * <p>It also reads the timestamp of a tracked event once: Axon's entry keeps the text and parses it
 * with {@code DateTimeFormatter} at every {@code getTimestamp()}, twice per event read by a
 * streaming processor (for the gap check and for the message), 13 % of an audit replay's samples.
 * The entries made here parse it once, with the quick parser for the form Axon writes.
 *
 * <p>And it reads the stream with fewer statements. Axon reads a window of {@code batchSize}
 * indexes past the token, so an empty window does not prove that nothing follows (a gap may be
 * wider than the window): it asks {@code min(globalIndex)} after every empty read, and reads on
 * until a read comes back empty. At a trickle of single-row inserts the shared event producer woke
 * at every commit and ran five statements in three transactions: a read that found the event, then
 * twice an empty read and its {@code min} (a third of the statements an insert cost PostgreSQL).
 * Here a read asks for the token's gaps and the next {@code batchSize} events past its index,
 * with no upper bound; fewer rows than asked for is then everything committed so far, the stream
 * ends there, and the {@code min} check is not needed.
 *
 * <p>Such a read is one statement, so it runs on its own, not in a transaction: Axon opened one
 * per read, which cost each read a {@code BEGIN} and a {@code COMMIT} round trip (the shared
 * producer reads twice per wake-up, a wake-up per commit at a trickle of writes). A read made
 * inside a transaction (a caller's unit of work) still joins it.
 */
final class PostgresEventStorageEngine extends JdbcEventStorageEngine {

    /** Axon's defaults, set here because {@link #getTrackedEventData} applies them itself. */
    private static final int MAX_GAP_OFFSET = 10_000;
    private static final long LOWEST_GLOBAL_SEQUENCE = 1;
    private static final int GAP_TIMEOUT_MS = 60_000;
    /** Axon's default: a read from a token with more gaps than this first cleans the old ones. */
    private static final int GAP_CLEANING_THRESHOLD = 250;

    private static final ThreadLocal<Formatted> LAST = ThreadLocal.withInitial(Formatted::new);

    PostgresEventStorageEngine(JdbcEventStorageEngine.Builder builder) {
        super(builder.maxGapOffset(MAX_GAP_OFFSET).lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .gapTimeout(GAP_TIMEOUT_MS).gapCleaningThreshold(GAP_CLEANING_THRESHOLD).extendedGapCheckEnabled(false));
    }

    /**
     * The events a streaming reader gets next: those at the token's gaps (committed since it read
     * past them), then the events past its index, {@code batchSize} rows at most in all and in
     * index order. The gaps go as one array, so the statement's text is the same whatever their
     * number; that statement is planned at each run (never server-prepared): a generic plan made
     * while the event table was small scans it whole for the gaps, and kept 7–25 ms per read on a
     * table of 50,000 events until statistics were gathered again.
     */
    @Override
    protected PreparedStatement readEventData(Connection connection, TrackingToken lastToken, int batchSize)
            throws SQLException {
        GapAwareTrackingToken token = (GapAwareTrackingToken) lastToken;
        EventSchema schema = schema();
        String index = schema.globalIndexColumn();
        String select = "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable();
        String following = select + " WHERE " + index + " > ? ORDER BY " + index + " ASC LIMIT ?";
        long after = token == null ? LOWEST_GLOBAL_SEQUENCE - 1 : token.getIndex();
        if (token == null || token.getGaps().isEmpty()) {
            PreparedStatement statement = connection.prepareStatement(following);
            statement.setLong(1, after);
            statement.setInt(2, batchSize);
            return statement;
        }
        PreparedStatement statement = connection.prepareStatement("(" + select + " WHERE " + index + " = ANY (?))"
                + " UNION ALL (" + following + ") ORDER BY " + index + " ASC LIMIT ?");
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        statement.setArray(1, connection.createArrayOf("bigint", token.getGaps().toArray()));
        statement.setLong(2, after);
        statement.setInt(3, batchSize);
        statement.setInt(4, batchSize);
        return statement;
    }

    /**
     * Axon's read of the next batch, without a transaction of its own (one statement needs none).
     * A token with more gaps than Axon cleans at ({@value #GAP_CLEANING_THRESHOLD}) goes through
     * Axon's read, which first drops the gaps too old to be filled.
     */
    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        GapAwareTrackingToken token = (GapAwareTrackingToken) lastToken;
        if (token != null && token.getGaps().size() > GAP_CLEANING_THRESHOLD) {
            return super.fetchTrackedEvents(lastToken, batchSize);
        }
        return JdbcUtils.executeQuery(getConnection(), connection -> readEventData(connection, token, batchSize),
                resultSet -> {
                    List<TrackedEventData<?>> read = new ArrayList<>();
                    GapAwareTrackingToken previous = token;
                    while (resultSet.next()) {
                        TrackedEventData<?> next = getTrackedEventData(resultSet, previous);
                        read.add(next);
                        previous = (GapAwareTrackingToken) next.trackingToken();
                    }
                    return read;
                },
                e -> new EventStoreException("Failed to read events from token [" + lastToken + "]", e));
    }

    /**
     * Axon's batched stream, except that it ends after a batch shorter than {@code batchSize}
     * rather than after an empty one: {@link #readEventData(Connection, TrackingToken, int)} has no
     * upper bound, so a short batch held every event there was.
     */
    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken trackingToken, boolean mayBlock) {
        return StreamSupport.stream(new Batches(trackingToken), false);
    }

    private final class Batches extends Spliterators.AbstractSpliterator<TrackedEventData<?>> {

        private TrackingToken token;
        private Iterator<? extends TrackedEventData<?>> batch = Collections.emptyIterator();
        private boolean last;

        Batches(TrackingToken token) {
            super(Long.MAX_VALUE, Spliterator.NONNULL | Spliterator.ORDERED | Spliterator.DISTINCT);
            this.token = token;
        }

        @Override
        public boolean tryAdvance(Consumer<? super TrackedEventData<?>> action) {
            if (!batch.hasNext()) {
                if (last) {
                    return false;
                }
                List<? extends TrackedEventData<?>> read = fetchTrackedEvents(token, batchSize());
                last = read.size() < batchSize();
                batch = read.iterator();
                if (!batch.hasNext()) {
                    return false;
                }
            }
            TrackedEventData<?> next = batch.next();
            token = next.trackingToken();
            action.accept(next);
            return true;
        }
    }

    /**
     * Axon's {@code getTrackedEventData} (4.13) as it is, except that the entry parses its timestamp
     * once ({@link TimedEntry}) and the token steps on without copying its gaps where it can
     * ({@link TokenSteps}).
     */
    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        EventSchema schema = schema();
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        TimedEntry<?> domainEvent = new TimedEntry<>(
                resultSet.getString(schema.typeColumn()),
                eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()),
                eventIdentifier,
                readTimeStamp(resultSet, schema.timestampColumn()),
                resultSet.getString(schema.payloadTypeColumn()),
                resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()),
                readPayload(resultSet, schema.metaDataColumn()));
        boolean allowGaps = domainEvent.getTimestamp()
                .isAfter(GenericEventMessage.clock.instant().minus(GAP_TIMEOUT_MS, ChronoUnit.MILLIS));
        GapAwareTrackingToken token = previousToken;
        if (token == null) {
            token = GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                    .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = TokenSteps.advance(token, globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        }
        return new TrackedDomainEventData<>(token, domainEvent);
    }

    /**
     * A stored event whose timestamp is parsed once, to what Axon's {@code DateTimeUtils.parseInstant}
     * gives ({@link SerializedEvents#timestamp} vouches for it; {@code readTimeStamp} reads the text).
     */
    private static final class TimedEntry<T> extends GenericDomainEventEntry<T> {

        private final Instant timestamp;

        TimedEntry(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
                   Object timestamp, String payloadType, String payloadRevision, T payload, T metaData) {
            super(type, aggregateIdentifier, sequenceNumber, eventIdentifier, timestamp, payloadType,
                    payloadRevision, payload, metaData);
            this.timestamp = SerializedEvents.timestamp(timestamp.toString());
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }
    }

    @Override
    protected void writeTimestamp(PreparedStatement statement, int position, Instant timestamp) throws SQLException {
        statement.setString(position, text(timestamp));
    }

    /** The text Axon writes for an instant ({@link DateTimeUtils#formatInstant}), made once per millisecond and thread. */
    static String text(Instant timestamp) {
        Formatted last = LAST.get();
        long millisecond = timestamp.toEpochMilli();
        if (last.text == null || last.millisecond != millisecond) {
            last.millisecond = millisecond;
            last.text = DateTimeUtils.formatInstant(timestamp);
        }
        return last.text;
    }

    private static final class Formatted {
        private long millisecond;
        private String text;
    }
}
