package dev.baserdb.api.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.kernel.privacy.PersonalData;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Audit entries as the API shows them (API.md §10): personal data opened for reading (or
 * "[erased]"), and, for one entry, the exact canonical JSON that was hashed so anyone can check
 * {@code hash = SHA-256(prev_hash || canonical)}.
 */
@Component
class AuditResponses {

    @Schema(name = "AuditActor")
    record Actor(String type, String id, String impersonatorId) {
    }

    @Schema(name = "AuditResource")
    record Resource(String type, String id) {
    }

    @Schema(name = "AuditEntry")
    record Entry(String id, long sequence, Instant occurredAt, String organizationId, String projectId, Actor actor,
                 String action, Resource resource, String requestId, String ip, String userAgent, @Schema(description = "What changed (secrets redacted)") JsonNode changes,
                 String prevHash, String hash) {
    }

    @Schema(name = "AuditEntryWithProof")
    record EntryWithProof(String id, long sequence, Instant occurredAt, String organizationId, String projectId,
                          Actor actor, String action, Resource resource, String requestId, String ip,
                          String userAgent, @Schema(description = "What changed (secrets redacted)") JsonNode changes, String prevHash, String hash, String canonical) {
    }

    private final PersonalData personalData;
    private final HistoryResponses history;

    AuditResponses(PersonalData personalData, HistoryResponses history) {
        this.personalData = personalData;
        this.history = history;
    }

    Entry entry(AuditEntry e) {
        return new Entry(e.id(), e.sequence(), e.occurredAt(), e.organizationId(), e.projectId(),
                new Actor(e.actorType(), e.actorId(), e.impersonatorId()), e.action(),
                new Resource(e.resourceType(), e.resourceId()), e.requestId(), personalData.reveal(e.ip()),
                personalData.reveal(e.userAgent()), history.reveal(e.changes().deepCopy()), e.prevHash(), e.hash());
    }

    EntryWithProof withProof(AuditEntry e) {
        Entry shown = entry(e);
        return new EntryWithProof(shown.id(), shown.sequence(), shown.occurredAt(), shown.organizationId(),
                shown.projectId(), shown.actor(), shown.action(), shown.resource(), shown.requestId(), shown.ip(),
                shown.userAgent(), shown.changes(), shown.prevHash(), shown.hash(),
                AuditChain.canonical(e.hashedJson()));
    }
}
