package dev.baserdb.api.platform.eventstore;

import dev.baserdb.kernel.eventlog.EventLog;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.jooq.impl.DSL.table;

/**
 * {@link EventLog} through Axon's API only ({@link EventStore#openStream}, its head and tail
 * tokens, the event serializer), so it works whatever engine holds the events: Axon Server under
 * the {@code axonserver} profile, or the JDBC engine (which is how the tests run it). Every read
 * streams the events of an index range in order — slower than the JDBC variant's queries, and the
 * store's size on disk is unknown (null). Payloads and metadata are the message's serialized form:
 * the stored bytes when the engine kept them (the JDBC engine), else serialized again with the same
 * serializer.
 */
@Component
@ConditionalOnProperty(name = "baserdb.event-log", havingValue = "axon")
public class AxonEventLog implements EventLog {

    /** How long the stream may take to deliver an event the head token says is there. */
    private static final long PATIENCE_SECONDS = 30;
    /** Events checked against the read model at once by {@link #absentFrom}. */
    private static final int CHUNK = 5000;

    /** What a scan does with each event; false stops it. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(long globalIndex, TrackedEventMessage<?> event);
    }

    private final EventStore store;
    private final Serializer serializer;
    private final DSLContext db;

    AxonEventLog(EventStore store, @Qualifier("eventSerializer") Serializer serializer, DSLContext db) {
        this.store = store;
        this.serializer = serializer;
        this.db = db;
    }

    /**
     * Streams the events with global index above {@code after} and up to {@code upTo} (as far as the
     * head when the scan starts), in order, to {@code visitor}; an event whose index lies below
     * {@code after} (one that filled a gap late) is skipped.
     */
    public void scan(long after, long upTo, Visitor visitor) {
        TrackingToken head = store.createHeadToken();
        if (head == null || head.position().isEmpty()) {
            return; // an empty store
        }
        long stop = Math.min(upTo, head.position().getAsLong());
        if (stop <= after) {
            return;
        }
        TrackingToken start = tokenAfter(after);
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(start)) {
            TrackingToken previous = start;
            while (true) {
                if (!stream.hasNextAvailable((int) PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("The event store delivered no event up to global index " + stop
                            + " within " + PATIENCE_SECONDS + " s");
                }
                TrackedEventMessage<?> event = stream.nextAvailable();
                long index = ownIndex(previous, event.trackingToken());
                previous = event.trackingToken();
                if (index > upTo) {
                    return;
                }
                if (index > after && !visitor.visit(index, event)) {
                    return;
                }
                if (index >= stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the event store", e);
        }
    }

    /** The event as stored: its payload and metadata in their serialized form. */
    public StoredEvent stored(long globalIndex, TrackedEventMessage<?> event) {
        SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
        SerializedObject<byte[]> metaData = event.serializeMetaData(serializer, byte[].class);
        String aggregateType = null;
        String aggregateIdentifier = event.getIdentifier();
        long sequence = 0;
        if (event instanceof DomainEventMessage<?> domain) {
            aggregateType = domain.getType();
            aggregateIdentifier = domain.getAggregateIdentifier();
            sequence = domain.getSequenceNumber();
        }
        return new StoredEvent(globalIndex, event.getIdentifier(), aggregateType, aggregateIdentifier, sequence,
                payload.getType().getName(), payload.getType().getRevision(),
                DateTimeUtils.formatInstant(event.getTimestamp()), payload.getData(), metaData.getData());
    }

    @Override
    public Map<Long, StoredEvent> at(long[] sortedIndexes) {
        Map<Long, StoredEvent> events = new HashMap<>(sortedIndexes.length * 2);
        if (sortedIndexes.length == 0) {
            return events;
        }
        Set<Long> wanted = new HashSet<>(sortedIndexes.length * 2);
        for (long index : sortedIndexes) {
            wanted.add(index);
        }
        scan(sortedIndexes[0] - 1, sortedIndexes[sortedIndexes.length - 1], (index, event) -> {
            if (wanted.contains(index)) {
                events.put(index, stored(index, event));
            }
            return events.size() < wanted.size();
        });
        return events;
    }

    /** Streams every event up to {@code upTo} and asks the read model, a chunk at a time, which indexes it has. */
    @Override
    public List<StoredEvent> absentFrom(long upTo, List<Field<Long>> recorded) {
        List<StoredEvent> absent = new ArrayList<>();
        Map<Long, TrackedEventMessage<?>> chunk = new LinkedHashMap<>();
        scan(-1, upTo, (index, event) -> {
            chunk.put(index, event);
            if (chunk.size() == CHUNK) {
                absentOf(chunk, recorded, absent);
            }
            return true;
        });
        absentOf(chunk, recorded, absent);
        absent.sort(java.util.Comparator.comparingLong(StoredEvent::globalIndex));
        return absent;
    }

    private void absentOf(Map<Long, TrackedEventMessage<?>> chunk, List<Field<Long>> recorded, List<StoredEvent> absent) {
        if (chunk.isEmpty()) {
            return;
        }
        Set<Long> present = new HashSet<>();
        for (Field<Long> column : recorded) {
            present.addAll(db.select(column).from(table(column.getQualifiedName().qualifier()))
                    .where(column.in(chunk.keySet())).fetch(column));
        }
        chunk.forEach((index, event) -> {
            if (!present.contains(index)) {
                absent.add(stored(index, event));
            }
        });
        chunk.clear();
    }

    /** Scans from {@code from}; when some are not found there, once more from the start. */
    @Override
    public Map<String, Long> indexesOf(Collection<String> eventIdentifiers, long from) {
        Set<String> wanted = new HashSet<>(eventIdentifiers);
        Map<String, Long> found = new HashMap<>();
        Visitor collect = (index, event) -> {
            if (wanted.contains(event.getIdentifier())) {
                found.put(event.getIdentifier(), index);
            }
            return found.size() < wanted.size();
        };
        scan(from - 1, Long.MAX_VALUE, collect);
        if (found.size() < wanted.size() && from > 0) {
            scan(-1, from - 1, collect);
        }
        return found;
    }

    @Override
    public boolean anyAt(Collection<Long> indexes) {
        if (indexes.isEmpty()) {
            return false;
        }
        TreeSet<Long> wanted = new TreeSet<>(indexes);
        boolean[] any = {false};
        scan(wanted.first() - 1, wanted.last(), (index, event) -> {
            any[0] = wanted.contains(index);
            return !any[0];
        });
        return any[0];
    }

    @Override
    public long head() {
        TrackingToken head = store.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    /**
     * A store whose global sequence has no gaps (Axon Server's) holds head − tail events; for any
     * other (the JDBC engine's indexes have gaps where appends rolled back) they are counted by
     * streaming them.
     */
    @Override
    public Long count() {
        TrackingToken head = store.createHeadToken();
        if (head == null) {
            return 0L;
        }
        if (head instanceof GlobalSequenceTrackingToken gapless) {
            TrackingToken tail = store.createTailToken();
            long before = tail == null ? -1 : tail.position().orElse(-1);
            return gapless.getGlobalIndex() - before;
        }
        long[] count = {0};
        scan(-1, Long.MAX_VALUE, (index, event) -> {
            count[0]++;
            return true;
        });
        return count[0];
    }

    /** Axon's API does not tell a store's size. */
    @Override
    public Long sizeBytes() {
        return null;
    }

    /** Axon's API has no fence against appends: nothing is held. */
    @Override
    public boolean holdAppends() {
        return false;
    }

    @Override
    public void replay(Consumer<TrackedEventMessage<?>> each) {
        scan(-1, Long.MAX_VALUE, (index, event) -> {
            each.accept(event);
            return true;
        });
    }

    /** A token from which the store streams the events above global index {@code after} (from the start: below 0). */
    private TrackingToken tokenAfter(long after) {
        if (after < 0) {
            return null;
        }
        TrackingToken kind = store.createTailToken();
        if (kind == null || kind instanceof GapAwareTrackingToken) {
            return GapAwareTrackingToken.newInstance(after, Set.of());
        }
        if (kind instanceof GlobalSequenceTrackingToken) {
            return new GlobalSequenceTrackingToken(after);
        }
        throw new IllegalStateException("Unsupported tracking token " + kind.getClass().getName());
    }

    /**
     * The global index of the event that moved the stream from {@code previous} to {@code current}.
     * A global-sequence token's position is it. A gap-aware token's position is the highest index
     * seen: an event that commits late and fills a gap of {@code previous} leaves it unchanged, and
     * its index is then the highest gap {@code current} no longer lists (gaps it dropped by
     * truncation lie below it).
     */
    static long ownIndex(TrackingToken previous, TrackingToken current) {
        TrackingToken now = WrappedToken.unwrapLowerBound(current);
        TrackingToken before = previous == null ? null : WrappedToken.unwrapLowerBound(previous);
        if (now instanceof GapAwareTrackingToken gapAware && before instanceof GapAwareTrackingToken was
                && gapAware.getIndex() <= was.getIndex()) {
            long filled = -1;
            for (long gap : was.getGaps()) {
                if (!gapAware.getGaps().contains(gap)) {
                    filled = gap;
                }
            }
            if (filled >= 0) {
                return filled;
            }
        }
        return now.position().orElseThrow(() -> new IllegalStateException("Tracking token without position: " + now));
    }
}
