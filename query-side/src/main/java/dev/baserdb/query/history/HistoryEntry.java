package dev.baserdb.query.history;

import java.time.Instant;

/**
 * One event in a resource's history, with who caused it (and the platform admin behind it when it
 * was made under impersonation, else null) and in which request.
 */
public record HistoryEntry(String eventId, String type, long sequence, Instant occurredAt, String actorType,
                           String actorId, String impersonatorId, String requestId, Object payload) {
}
