package dev.baserdb.query.audit;

/** The result of recomputing the audit chain over a window. */
public record Verification(boolean verified, long checked, String headHash, String firstBrokenId) {
}
