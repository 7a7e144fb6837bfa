package dev.baserdb.kernel.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
        node.put("occurred_at", instant(occurredAt));
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
        StringBuilder out = new StringBuilder(640 + canonicalChanges.length());
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
        AuditChain.string(instant(occurredAt), out);
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

    /** Instants from 1970 to 9999 are written by {@link #instant} itself. */
    private static final long YEAR_10000 = 253_402_300_800L;

    /**
     * {@code DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(MILLIS))}: the same text,
     * written directly for the years 1970 to 9999 (the formatter cost as much as the hash).
     */
    static String instant(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int millis = instant.getNano() / 1_000_000;
        char[] text = new char[millis == 0 ? 20 : 24];
        digits(text, 0, time.getYear(), 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
        if (millis != 0) {
            text[19] = '.';
            digits(text, 20, millis, 3);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int from, int value, int count) {
        for (int i = from + count - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * This entry at its place in the chain: {@code sequence}, after the entry whose hash is
     * {@code prevHash}, with its own hash ({@code canonicalChanges} as in {@link #expectedHash(String)}).
     */
    public AuditEntry chained(long sequence, String prevHash, String canonicalChanges) {
        return placed(globalIndex, sequence, prevHash, canonicalChanges);
    }

    /** {@link #chained} with the event's global index as well. */
    AuditEntry placed(long globalIndex, long sequence, String prevHash, String canonicalChanges) {
        AuditEntry unhashed = new AuditEntry(id, sequence, globalIndex, occurredAt, organizationId, projectId,
                actorType, actorId, impersonatorId, action, resourceType, resourceId, requestId, ip, userAgent,
                changes, prevHash, null);
        return new AuditEntry(id, sequence, globalIndex, occurredAt, organizationId, projectId, actorType, actorId,
                impersonatorId, action, resourceType, resourceId, requestId, ip, userAgent, changes, prevHash,
                unhashed.expectedHash(canonicalChanges));
    }

    /** This entry with its event's global index, unhashed. */
    AuditEntry at(long globalIndex) {
        return new AuditEntry(id, sequence, globalIndex, occurredAt, organizationId, projectId, actorType, actorId,
                impersonatorId, action, resourceType, resourceId, requestId, ip, userAgent, changes, prevHash, null);
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
