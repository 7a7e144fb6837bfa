package dev.baserdb.api.platform.eventstore;

import dev.baserdb.kernel.eventlog.SerializedEvents;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

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
 */
final class PostgresEventStorageEngine extends JdbcEventStorageEngine {

    /** Axon's defaults, set here because {@link #getTrackedEventData} applies them itself. */
    private static final int MAX_GAP_OFFSET = 10_000;
    private static final long LOWEST_GLOBAL_SEQUENCE = 1;
    private static final int GAP_TIMEOUT_MS = 60_000;

    private static final ThreadLocal<Formatted> LAST = ThreadLocal.withInitial(Formatted::new);

    PostgresEventStorageEngine(JdbcEventStorageEngine.Builder builder) {
        super(builder.maxGapOffset(MAX_GAP_OFFSET).lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .gapTimeout(GAP_TIMEOUT_MS));
    }

    /**
     * Axon's {@code getTrackedEventData} (4.13) as it is, except that the entry parses its timestamp
     * once ({@link TimedEntry}).
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
            token = token.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
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
