package dev.baserdb.query.audit;

import java.time.Instant;

/**
 * A signed statement of where the audit trail stood: every event up to global index
 * {@code position} had its entry, the trail had {@code count} entries and the last one's hash was
 * {@code headHash}. {@code signature} is a JWS (EdDSA, key {@code kid}) over exactly those four
 * fields; see the api's AuditCheckpoints.
 */
public record AuditCheckpoint(long id, long position, long count, String headHash, Instant at, String kid,
                              String signature) {
}
