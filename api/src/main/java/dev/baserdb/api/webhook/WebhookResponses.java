package dev.baserdb.api.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.baserdb.query.webhook.DeliveryAttemptView;
import dev.baserdb.query.webhook.WebhookView;

import java.time.Instant;
import java.util.List;

/** Response bodies of the webhook routes (API.md §13): the secret only in the answer to a creation. */
final class WebhookResponses {

    private WebhookResponses() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WebhookDetails(String id, String projectId, String url, List<String> events, boolean active,
                          Instant createdAt, Instant updatedAt, String secret) {

        static WebhookDetails of(WebhookView view) {
            return new WebhookDetails(view.id(), view.projectId(), view.url(), view.events(), view.active(),
                    view.createdAt(), view.updatedAt(), null);
        }

        WebhookDetails withSecret(String shownOnce) {
            return new WebhookDetails(id, projectId, url, events, active, createdAt, updatedAt, shownOnce);
        }
    }

    record DeliveryAttempt(String id, String event, String eventId, int attempt, Integer statusCode, String error,
                           long durationMs, Instant at, Instant nextAttemptAt) {

        static DeliveryAttempt of(DeliveryAttemptView view) {
            return new DeliveryAttempt(view.id(), view.event(), view.eventId(), view.attempt(), view.statusCode(),
                    view.error(), view.durationMs(), view.at(), view.nextAttemptAt());
        }
    }
}
