package dev.baserdb.api.platform.web;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.query.history.HistoryEntry;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET …/{id}/history} (API.md §1): a resource's events with actor (and impersonator) and request id, payloads
 * in the API's JSON style with every secret (hashes of keys and tokens, passwords) redacted.
 */
@Component
public class HistoryResponses {

    private final ObjectMapper json;
    private final PersonalData personalData;

    HistoryResponses(ObjectMapper json, PersonalData personalData) {
        this.json = json;
        this.personalData = personalData;
    }

    /** Who caused an event; {@code impersonator_id} is the platform admin behind an impersonation, else null. */
    public record Actor(String type, String id, String impersonatorId) {

        public static Actor of(HistoryEntry event) {
            return new Actor(event.actorType(), event.actorId(), event.impersonatorId());
        }
    }

    @Schema(name = "HistoryEntry")
    public record Entry(String eventId, String type, long sequence, Instant occurredAt, Actor actor, String requestId,
                        JsonNode payload) {
    }

    public ResponseEntity<Envelope> of(List<HistoryEntry> history) {
        return Envelope.list(history.stream().map(this::entry).toList());
    }

    private Entry entry(HistoryEntry event) {
        JsonNode payload = json.valueToTree(event.payload());
        return new Entry(event.eventId(), event.type(), event.sequence(), event.occurredAt(),
                Actor.of(event), event.requestId(), reveal(AuditChain.redact(payload)));
    }

    /** Opens sealed personal data for display: the value, or "[erased]" once its key is destroyed. */
    public JsonNode reveal(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getValue().isTextual() && PersonalData.isSealed(field.getValue().asText())) {
                    object.put(field.getKey(), personalData.reveal(field.getValue().asText()));
                } else {
                    reveal(field.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(this::reveal);
        }
        return node;
    }
}
