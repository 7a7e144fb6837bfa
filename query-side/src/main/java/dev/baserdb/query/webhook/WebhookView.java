package dev.baserdb.query.webhook;

import java.time.Instant;
import java.util.List;

/** A webhook as it now is; {@code sealedSecret} is for signing deliveries, never for an answer. */
public record WebhookView(String id, String projectId, String organizationId, String url, List<String> events,
                          String sealedSecret, boolean active, Instant createdAt, Instant updatedAt, long version) {
}
