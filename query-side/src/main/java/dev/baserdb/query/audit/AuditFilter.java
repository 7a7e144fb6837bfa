package dev.baserdb.query.audit;

import java.time.Instant;

/** Which audit entries to read; every field is optional. */
public record AuditFilter(String organizationId, String projectId, String actorId, String action,
                          String resourceType, String resourceId, Instant from, Instant to) {
}
