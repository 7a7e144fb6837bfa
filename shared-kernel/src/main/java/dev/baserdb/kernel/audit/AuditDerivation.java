package dev.baserdb.kernel.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.baserdb.kernel.EventNames;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * How an event becomes its audit entry. The one home of that rule: the audit projection derives
 * each entry it appends with it, and {@code /audit/verify} derives every entry again from the
 * event store with it and compares, so an entry that no longer says what its event says is found.
 */
public final class AuditDerivation {

    /** The event processor (and processing group) that appends the trail; its token is the trail's position. */
    public static final String PROCESSOR = "audit";

    /** Event payloads as the API shows them: snake_case, ISO instants. */
    private static final ObjectMapper CHANGES = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private AuditDerivation() {
    }

    /** The id of the entry that records this event ({@code evt_} and the event id without dashes). */
    public static String entryId(String eventIdentifier) {
        return "evt_" + eventIdentifier.replace("-", "");
    }

    /** An entry as derived, with its {@code changes} in canonical form (as the entry stores them). */
    public record Derived(AuditEntry entry, String canonicalChanges) {

        /**
         * This entry (as {@link #unplaced} gives it) at its place in the chain: its event's global
         * index, its sequence and the hash of the entry before it, hashed.
         */
        public Derived placed(long globalIndex, long sequence, String prevHash) {
            return new Derived(entry.placed(globalIndex, sequence, prevHash, canonicalChanges), canonicalChanges);
        }

        /** This entry with its event's global index, at no place in the chain yet (sequence 0, no hash). */
        public Derived at(long globalIndex) {
            return new Derived(entry.at(globalIndex), canonicalChanges);
        }
    }

    /** The entry an event gives at a place in the chain (sequence, and the hash of the entry before it). */
    public static AuditEntry entryFor(EventMessage<?> event, long globalIndex, long sequence, String prevHash) {
        return derive(event, globalIndex, sequence, prevHash).entry();
    }

    /** {@link #entryFor}, with the canonical text of the changes, which it computes once for both. */
    public static Derived derive(EventMessage<?> event, long globalIndex, long sequence, String prevHash) {
        return derive(event, changesOf(event.getPayload()), globalIndex, sequence, prevHash);
    }

    /**
     * {@link #derive(EventMessage, long, long, String)} with the event's changes given (as
     * {@link #changesOf} or {@link AuditPayloads} make them), so the payload need not be deserialized.
     */
    public static Derived derive(EventMessage<?> event, JsonNode changes, long globalIndex, long sequence,
                                 String prevHash) {
        return derive(event, event.getMetaData(), changes, globalIndex, sequence, prevHash);
    }

    /**
     * {@link #derive(EventMessage, JsonNode, long, long, String)} with the event's metadata given: all
     * of it, or only the values of the keys an entry records (as {@link AuditPayloads#auditedMetaData}
     * reads them), so the metadata need not be deserialized.
     */
    public static Derived derive(EventMessage<?> event, Map<String, ?> metaData, JsonNode changes, long globalIndex,
                                 long sequence, String prevHash) {
        return unplaced(event, metaData, changes).placed(globalIndex, sequence, prevHash);
    }

    /**
     * The entry of an event given by its parts: its id, the id of the resource it changed (the
     * aggregate's, or the event's own when it has none), its time, payload class, metadata and
     * changes.
     */
    public static Derived derive(String eventIdentifier, String resourceId, Instant timestamp, Class<?> payloadType,
                                 Map<String, ?> metaData, JsonNode changes, long globalIndex, long sequence,
                                 String prevHash) {
        return unplaced(eventIdentifier, resourceId, timestamp, payloadType, metaData, changes)
                .placed(globalIndex, sequence, prevHash);
    }

    /**
     * What an event's entry says, before it has a place in the chain (global index and sequence 0,
     * {@link AuditChain#GENESIS} as {@code prev_hash}, no hash): the costly part of a derivation,
     * which {@link Derived#placed} completes. Metadata and changes as in
     * {@link #derive(EventMessage, Map, JsonNode, long, long, String)}.
     */
    public static Derived unplaced(EventMessage<?> event, Map<String, ?> metaData, JsonNode changes) {
        String resourceId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier()
                : event.getIdentifier();
        return unplaced(event.getIdentifier(), resourceId, event.getTimestamp(), event.getPayloadType(), metaData,
                changes);
    }

    private static Derived unplaced(String eventIdentifier, String resourceId, Instant timestamp, Class<?> payloadType,
                                    Map<String, ?> metaData, JsonNode changes) {
        AuditEntry entry = new AuditEntry(entryId(eventIdentifier), 0, 0, timestamp.truncatedTo(ChronoUnit.MILLIS),
                text(changes, "organization_id"), text(changes, "project_id"),
                meta(metaData, "actor_type"), meta(metaData, "actor_id"), meta(metaData, "impersonator_id"),
                EventNames.action(payloadType), EventNames.resourceType(payloadType), resourceId,
                meta(metaData, "request_id"), meta(metaData, "ip"), meta(metaData, "user_agent"),
                changes, AuditChain.GENESIS, null);
        return new Derived(entry, AuditChain.canonical(changes));
    }

    /** The changes of an event payload: the payload as the API shows it (snake_case, ISO instants), secrets redacted. */
    public static JsonNode changesOf(Object payload) {
        return AuditChain.redact(CHANGES.valueToTree(payload));
    }

    /** The mapper {@link #changesOf} writes payloads with. */
    static ObjectMapper changesMapper() {
        return CHANGES;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String meta(Map<String, ?> metaData, String key) {
        Object value = metaData.get(key);
        return value == null ? null : value.toString();
    }
}
