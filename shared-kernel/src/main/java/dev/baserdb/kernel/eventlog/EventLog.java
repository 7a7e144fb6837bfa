package dev.baserdb.kernel.eventlog;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.jooq.Field;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The event store read by global index, for the read models and checks that look at stored events
 * outside an event processor (audit verify and chaining, admin stats, inline rebuilds). Two
 * implementations, chosen by {@code baserdb.event-log}: {@code jdbc} (the default) reads Axon's
 * JDBC table {@code domainevententry} straight with SQL, the fast path; {@code axon} (set by the
 * {@code axonserver} profile) goes only through Axon's {@code EventStore} API, so it works whatever
 * engine holds the events, Axon Server included, and is slower (events are streamed, not queried).
 * docs/axonserver.md lists what each answers.
 */
public interface EventLog {

    /**
     * One event as the store holds it: payload and metadata serialized (UTF-8 JSON from Axon's event
     * serializer), {@code timestamp} as Axon writes it ({@code DateTimeUtils.formatInstant}).
     * {@code aggregateType} is null for an event no aggregate applied.
     */
    record StoredEvent(long globalIndex, String eventIdentifier, String aggregateType, String aggregateIdentifier,
                       long sequenceNumber, String payloadType, String payloadRevision, String timestamp,
                       byte[] payload, byte[] metaData) {
    }

    /** The events at these global indexes (ascending), those that exist. */
    Map<Long, StoredEvent> at(long[] sortedIndexes);

    /**
     * Every event up to {@code upTo} whose global index is in none of the {@code recorded} columns
     * (each qualified by its read-model table, e.g. {@code audit_entries.global_index}), oldest first.
     */
    List<StoredEvent> absentFrom(long upTo, List<Field<Long>> recorded);

    /**
     * The global indexes of the events with these identifiers, those that exist. {@code from} is a
     * hint: the events are expected at that index or above (a reader that has to scan starts there,
     * and looks below only when some are not found).
     */
    Map<String, Long> indexesOf(Collection<String> eventIdentifiers, long from);

    /** Whether an event exists at one of these global indexes. */
    boolean anyAt(Collection<Long> indexes);

    /** The highest global index in the store now (0, or -1 under Axon Server, when it is empty). */
    long head();

    /** How many events the store holds; null when it cannot be told. */
    Long count();

    /** The store's size on disk in bytes; null when it cannot be told (Axon's API does not). */
    Long sizeBytes();

    /**
     * Holds appends back until the current transaction ends, so that no event commits meanwhile;
     * false when the store offers no such fence (Axon Server: its appends do not pass through this
     * database).
     */
    boolean holdAppends();

    /** Every event in the store now, oldest first, as Axon hands events to a processor's handlers. */
    void replay(Consumer<TrackedEventMessage<?>> each);

    /** Where a replay hands the events it takes as they are stored ({@link StoredEventHandler}). */
    interface StoredEvents {

        /** Whether events of this payload type and revision are taken as stored. */
        boolean takes(String payloadType, String payloadRevision);

        void accept(StoredEvent event);
    }

    /**
     * The same, except that the events {@code stored} takes are handed to it as stored, neither
     * upcast nor deserialized, in their place in the order. This default, for a store that cannot
     * hand events out as stored (Axon's API), deserializes them all and hands them to {@code each}.
     */
    default void replay(StoredEvents stored, Consumer<TrackedEventMessage<?>> each) {
        replay(each);
    }
}
