package dev.baserdb.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditPayloads;
import dev.baserdb.kernel.eventlog.EventLog;
import dev.baserdb.kernel.eventlog.EventLog.StoredEvent;
import dev.baserdb.kernel.eventlog.SerializedEvents;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_PENDING;


/**
 * The events the audit trail records, read from the {@link EventLog} by global index (in batches,
 * never one read per entry) and deserialized with Axon's event serializer — the messages the audit
 * processor was given.
 */
class AuditEvents {

    /** An event of the store without an audit entry: its global index, the entry id it should have had, when. */
    record Unrecorded(long globalIndex, String eventIdentifier, String timestamp) {
    }

    private final EventLog log;
    private final Serializer serializer;
    private final AuditPayloads payloads;
    /** Payload classes by stored type name (the serializer looks each up in its class loader). */
    private final Map<String, Class<?>> types = new ConcurrentHashMap<>();

    AuditEvents(EventLog log, Serializer eventSerializer) {
        this.log = log;
        this.serializer = eventSerializer;
        this.payloads = AuditPayloads.of(eventSerializer);
    }

    /** The events at these global indexes (those that exist). */
    Map<Long, StoredEvent> at(long[] sortedIndexes) {
        return log.at(sortedIndexes);
    }

    /**
     * Every event up to {@code position} that has no audit entry, in global-index order; one held
     * back behind a gap that may still fill ({@code audit_pending}) is recorded, just not chained yet.
     */
    List<Unrecorded> unrecordedUpTo(long position) {
        return log.absentFrom(position, List.of(AUDIT_ENTRIES.GLOBAL_INDEX, AUDIT_PENDING.GLOBAL_INDEX)).stream()
                .map(event -> new Unrecorded(event.globalIndex(), event.eventIdentifier(), event.timestamp()))
                .toList();
    }

    /**
     * The entry this event gives at a place in the chain, as {@code AuditDerivation.derive} gives it
     * for {@link #message}: its changes read straight from the stored JSON when {@link AuditPayloads}
     * can vouch for it, else from the deserialized event. Throws when the event no longer reads.
     */
    AuditDerivation.Derived derive(StoredEvent row, long globalIndex, long sequence, String prevHash) {
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
                SerializedEvents.timestamp(row.timestamp()), type, metaData, changes, globalIndex, sequence, prevHash);
    }

    /** A domain event message as the event store engine builds it from its row (no upcasters are configured). */
    EventMessage<?> message(StoredEvent row) {
        Object payload = serializer.deserialize(
                new SimpleSerializedObject<>(row.payload(), byte[].class, row.payloadType(), row.payloadRevision()));
        MetaData metaData = row.metaData() == null ? MetaData.emptyInstance()
                : serializer.deserialize(metaData(row.metaData()));
        return new GenericDomainEventMessage<>(row.aggregateType(), row.aggregateIdentifier(), row.sequenceNumber(), payload,
                metaData, row.eventIdentifier(), DateTimeUtils.parseInstant(row.timestamp()));
    }

    private static SerializedObject<byte[]> metaData(byte[] metaData) {
        return new SimpleSerializedObject<>(metaData, byte[].class, MetaData.class.getName(), null);
    }
}
