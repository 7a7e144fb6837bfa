package dev.baserdb.kernel.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One audit entry: what happened, to what, by whom, from where, and its place in the hash chain.
 * {@code ip} and {@code userAgent} are kept sealed (personal data of the actor); {@code changes}
 * is the event with secrets redacted and personal data still sealed, so erasure never changes an
 * entry and never breaks the chain.
 */
public record AuditEntry(String id, long sequence, long globalIndex, Instant occurredAt, String organizationId,
                         String projectId, String actorType, String actorId, String impersonatorId, String action,
                         String resourceType, String resourceId, String requestId, String ip, String userAgent,
                         JsonNode changes, String prevHash, String hash) {

    /** The entry as hashed: every field of API.md §10 except {@code hash}. */
    public ObjectNode hashedJson() {
        ObjectNode node = AuditChain.object();
        node.put("id", id);
        node.put("sequence", sequence);
        node.put("occurred_at", DateTimeFormatter.ISO_INSTANT.format(occurredAt.truncatedTo(ChronoUnit.MILLIS)));
        node.put("organization_id", organizationId);
        node.put("project_id", projectId);
        ObjectNode actor = node.putObject("actor");
        actor.put("type", actorType);
        actor.put("id", actorId);
        actor.put("impersonator_id", impersonatorId);
        node.put("action", action);
        ObjectNode resource = node.putObject("resource");
        resource.put("type", resourceType);
        resource.put("id", resourceId);
        node.put("request_id", requestId);
        node.put("ip", ip);
        node.put("user_agent", userAgent);
        node.set("changes", changes);
        node.put("prev_hash", prevHash);
        return node;
    }

    /** The hash this entry must have, given its content and {@code prevHash}. */
    public String expectedHash() {
        return AuditChain.hash(prevHash, AuditChain.canonical(hashedJson()));
    }

    /**
     * The same as {@link #expectedHash()} when {@code canonicalChanges} is
     * {@code AuditChain.canonical(changes())}, for a caller that has it already (it is then not
     * computed twice).
     */
    public String expectedHash(String canonicalChanges) {
        return AuditChain.hash(prevHash, canonical(canonicalChanges));
    }

    /**
     * The canonical JSON of {@link #hashedJson()} with {@code changes} already canonical, written
     * straight in the canonical key order (verify and replay hash every entry; building the object
     * and sorting its keys cost more than the hash). {@code AuditChainTest} checks it equals
     * {@code AuditChain.canonical(hashedJson())}.
     */
    String canonical(String canonicalChanges) {
        StringBuilder out = new StringBuilder(256 + canonicalChanges.length());
        out.append("{\"action\":");
        AuditChain.string(action, out);
        out.append(",\"actor\":{\"id\":");
        AuditChain.string(actorId, out);
        out.append(",\"impersonator_id\":");
        AuditChain.string(impersonatorId, out);
        out.append(",\"type\":");
        AuditChain.string(actorType, out);
        out.append("},\"changes\":").append(canonicalChanges);
        out.append(",\"id\":");
        AuditChain.string(id, out);
        out.append(",\"ip\":");
        AuditChain.string(ip, out);
        out.append(",\"occurred_at\":");
        AuditChain.string(DateTimeFormatter.ISO_INSTANT.format(occurredAt.truncatedTo(ChronoUnit.MILLIS)), out);
        out.append(",\"organization_id\":");
        AuditChain.string(organizationId, out);
        out.append(",\"prev_hash\":");
        AuditChain.string(prevHash, out);
        out.append(",\"project_id\":");
        AuditChain.string(projectId, out);
        out.append(",\"request_id\":");
        AuditChain.string(requestId, out);
        out.append(",\"resource\":{\"id\":");
        AuditChain.string(resourceId, out);
        out.append(",\"type\":");
        AuditChain.string(resourceType, out);
        out.append("},\"sequence\":").append(sequence);
        out.append(",\"user_agent\":");
        AuditChain.string(userAgent, out);
        return out.append('}').toString();
    }

    /**
     * This entry at its place in the chain: {@code sequence}, after the entry whose hash is
     * {@code prevHash}, with its own hash ({@code canonicalChanges} as in {@link #expectedHash(String)}).
     */
    public AuditEntry chained(long sequence, String prevHash, String canonicalChanges) {
        AuditEntry unhashed = new AuditEntry(id, sequence, globalIndex, occurredAt, organizationId, projectId,
                actorType, actorId, impersonatorId, action, resourceType, resourceId, requestId, ip, userAgent,
                changes, prevHash, null);
        return new AuditEntry(id, sequence, globalIndex, occurredAt, organizationId, projectId, actorType, actorId,
                impersonatorId, action, resourceType, resourceId, requestId, ip, userAgent, changes, prevHash,
                unhashed.expectedHash(canonicalChanges));
    }

    public AuditEntry withChain(String prevHash) {
        AuditEntry unhashed = new AuditEntry(id, sequence, globalIndex, occurredAt, organizationId, projectId,
                actorType, actorId, impersonatorId, action, resourceType, resourceId, requestId, ip, userAgent,
                changes, prevHash, null);
        return new AuditEntry(id, sequence, globalIndex, occurredAt, organizationId, projectId, actorType, actorId,
                impersonatorId, action, resourceType, resourceId, requestId, ip, userAgent, changes, prevHash,
                unhashed.expectedHash());
    }
}
