package dev.baserdb.query.audit;

/** Where the audit trail stands now: the processed position, the number of entries and the last entry's hash. */
public record AuditHead(long position, long count, String headHash) {
}
