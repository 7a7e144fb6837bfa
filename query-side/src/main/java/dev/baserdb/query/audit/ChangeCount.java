package dev.baserdb.query.audit;

/** How many changes of one action one actor made in a period. */
public record ChangeCount(String action, String resourceType, String actorType, String actorId, long count) {
}
