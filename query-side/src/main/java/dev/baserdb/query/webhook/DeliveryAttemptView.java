package dev.baserdb.query.webhook;

import java.time.Instant;

/** One attempt at delivering an event to a webhook (API.md §13, the delivery log). */
public record DeliveryAttemptView(String id, String event, String eventId, int attempt, Integer statusCode,
                                  String error, long durationMs, Instant at, Instant nextAttemptAt) {
}
