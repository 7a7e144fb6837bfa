package dev.baserdb.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditPayloads;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.baserdb.kernel.readmodel.AuditTables.Entries;
import static dev.baserdb.kernel.readmodel.AuditTables.Pending;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.notExists;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.table;

/**
 * The events the audit trail records, read from Axon's JDBC event table by global index and
 * deserialized with Axon's event serializer — the messages the audit processor was given. Read in
 * batches of global indexes, never one query per entry.
 */
class AuditEvents {

    private static final Table<Record> EVENTS = table(name("domainevententry"));
    private static final Field<Long> GLOBAL_INDEX = field(name("domainevententry", "globalindex"), Long.class);
    private static final Field<String> EVENT_IDENTIFIER = field(name("domainevententry", "eventidentifier"), String.class);
    private static final Field<String> AGGREGATE_IDENTIFIER =
            field(name("domainevententry", "aggregateidentifier"), String.class);
    private static final Field<Long> SEQUENCE_NUMBER = field(name("domainevententry", "sequencenumber"), Long.class);
    private static final Field<String> TYPE = field(name("domainevententry", "type"), String.class);
    private static final Field<byte[]> META_DATA = field(name("domainevententry", "metadata"), byte[].class);
    private static final Field<byte[]> PAYLOAD = field(name("domainevententry", "payload"), byte[].class);
    private static final Field<String> PAYLOAD_TYPE = field(name("domainevententry", "payloadtype"), String.class);
    private static final Field<String> PAYLOAD_REVISION = field(name("domainevententry", "payloadrevision"), String.class);
    private static final Field<String> TIMESTAMP = field(name("domainevententry", "timestamp"), String.class);

    /** An event of the store without an audit entry: its global index, the entry id it should have had, when. */
    record Unrecorded(long globalIndex, String eventIdentifier, String timestamp) {
    }

    /** An event row as stored; {@link #message} deserializes it (thread-safe, so rows can be turned in parallel). */
    record Row(String eventIdentifier, String aggregateIdentifier, long sequenceNumber, String type, byte[] metaData,
               byte[] payload, String payloadType, String payloadRevision, String timestamp) {
    }

    private final DSLContext db;
    private final Serializer serializer;
    private final AuditPayloads payloads;
    /** Payload classes by stored type name (the serializer looks each up in its class loader). */
    private final Map<String, Class<?>> types = new ConcurrentHashMap<>();

    AuditEvents(DSLContext db, Serializer eventSerializer) {
        this.db = db;
        this.serializer = eventSerializer;
        this.payloads = AuditPayloads.of(eventSerializer);
    }

    /**
     * The events at these global indexes (those that exist). The indexes of one batch of the trail
     * are nearly consecutive, so a range is read when it is dense, a list otherwise.
     */
    Map<Long, Row> at(long[] sortedIndexes) {
        Map<Long, Row> events = new HashMap<>(sortedIndexes.length * 2);
        if (sortedIndexes.length == 0) {
            return events;
        }
        long low = sortedIndexes[0];
        long high = sortedIndexes[sortedIndexes.length - 1];
        Condition which = high - low < 2L * sortedIndexes.length
                ? GLOBAL_INDEX.between(low, high)
                : GLOBAL_INDEX.in(box(sortedIndexes));
        for (Map.Entry<Long, Row> event : JdbcRows.list(db, db.select(GLOBAL_INDEX, EVENT_IDENTIFIER,
                        AGGREGATE_IDENTIFIER, SEQUENCE_NUMBER, TYPE, META_DATA, PAYLOAD, PAYLOAD_TYPE, PAYLOAD_REVISION,
                        TIMESTAMP).from(EVENTS).where(which), sortedIndexes.length,
                row -> Map.entry(row.getLong(1), new Row(row.getString(2), row.getString(3), row.getLong(4),
                        row.getString(5), row.getBytes(6), row.getBytes(7), row.getString(8), row.getString(9),
                        row.getString(10))))) {
            events.put(event.getKey(), event.getValue());
        }
        return events;
    }

    /**
     * Every event up to {@code position} that has no audit entry, in global-index order. The
     * anti-join reads only the two unique indexes; the (usually no) rows found are read after.
     */
    List<Unrecorded> unrecordedUpTo(long position) {
        List<Long> indexes = db.select(GLOBAL_INDEX).from(EVENTS)
                .where(GLOBAL_INDEX.le(position))
                .and(notExists(selectOne().from(Entries.TABLE).where(Entries.GLOBAL_INDEX.eq(GLOBAL_INDEX))))
                // held back behind a gap that may still fill: recorded, just not chained yet
                .and(notExists(selectOne().from(Pending.TABLE).where(Pending.GLOBAL_INDEX.eq(GLOBAL_INDEX))))
                .fetch(GLOBAL_INDEX);
        if (indexes.isEmpty()) {
            return List.of();
        }
        List<Unrecorded> unrecorded = new ArrayList<>(indexes.size());
        db.select(GLOBAL_INDEX, EVENT_IDENTIFIER, TIMESTAMP).from(EVENTS).where(GLOBAL_INDEX.in(indexes))
                .orderBy(GLOBAL_INDEX)
                .forEach(row -> unrecorded.add(new Unrecorded(row.value1(), row.value2(), row.value3())));
        return unrecorded;
    }

    /**
     * The entry this event gives at a place in the chain, as {@code AuditDerivation.derive} gives it
     * for {@link #message}: its changes read straight from the stored JSON when {@link AuditPayloads}
     * can vouch for it, else from the deserialized event. Throws when the event no longer reads.
     */
    AuditDerivation.Derived derive(Row row, long globalIndex, long sequence, String prevHash) {
        Class<?> type = types.computeIfAbsent(row.payloadType(),
                name -> serializer.classForType(new SimpleSerializedType(name, row.payloadRevision())));
        JsonNode changes = payloads.fromJson(type, row.payload());
        if (changes == null) {
            return AuditDerivation.derive(message(row), globalIndex, sequence, prevHash);
        }
        Map<String, ?> metaData = row.metaData() == null ? MetaData.emptyInstance()
                : payloads.auditedMetaData(row.metaData());
        if (metaData == null) {
            metaData = serializer.deserialize(metaData(row.metaData()));
        }
        return AuditDerivation.derive(row.eventIdentifier(), row.aggregateIdentifier(),
                AuditPayloads.timestamp(row.timestamp()), type, metaData, changes, globalIndex, sequence, prevHash);
    }

    /** A domain event message as the event store engine builds it from its row (no upcasters are configured). */
    EventMessage<?> message(Row row) {
        Object payload = serializer.deserialize(
                new SimpleSerializedObject<>(row.payload(), byte[].class, row.payloadType(), row.payloadRevision()));
        MetaData metaData = row.metaData() == null ? MetaData.emptyInstance()
                : serializer.deserialize(metaData(row.metaData()));
        return new GenericDomainEventMessage<>(row.type(), row.aggregateIdentifier(), row.sequenceNumber(), payload,
                metaData, row.eventIdentifier(), DateTimeUtils.parseInstant(row.timestamp()));
    }

    private static SerializedObject<byte[]> metaData(byte[] metaData) {
        return new SimpleSerializedObject<>(metaData, byte[].class, MetaData.class.getName(), null);
    }

    private static List<Long> box(long[] values) {
        List<Long> boxed = new ArrayList<>(values.length);
        for (long value : values) {
            boxed.add(value);
        }
        return boxed;
    }
}
