package dev.baserdb.query.audit;

import java.util.List;

/**
 * The result of checking the audit trail over a window: the chain (every entry follows the one
 * before it), every entry against the event it records, completeness (every processed event has
 * exactly one entry: {@code missing} events without one, {@code extra} entries without an event
 * of their own), and the latest signed checkpoint against the trail. {@code verified} covers all
 * of these except the checkpoint's signature, which the caller that holds the key checks.
 * {@code missingIds} and {@code extraIds} list at most {@link #LISTED} ids each.
 */
public record Verification(boolean verified, long checked, String headHash, String firstBrokenId, long position,
                           long missing, List<String> missingIds, long extra, List<String> extraIds,
                           CheckpointCheck checkpoint) {

    public static final int LISTED = 100;

    /** The latest checkpoint and whether the trail still has, at its count, the head hash it signed. */
    public record CheckpointCheck(AuditCheckpoint checkpoint, boolean matchesTrail) {
    }
}
