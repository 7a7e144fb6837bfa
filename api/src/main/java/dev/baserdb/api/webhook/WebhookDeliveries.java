package dev.baserdb.api.webhook;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.query.webhook.WebhookDirectory;
import dev.baserdb.query.webhook.WebhookView;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.WEBHOOK_ATTEMPTS;
import static dev.baserdb.kernel.readmodel.schema.Tables.WEBHOOK_DELIVERIES;

/**
 * Carries out one attempt of a delivery (on a thread of the persistent scheduler, which picks each
 * execution on exactly one node): counts the attempt in the outbox row, posts, logs the attempt,
 * and tells the scheduler what comes next — nothing after a 2xx, the next attempt after
 * {@code firstRetry × 2^(attempt-1)} otherwise, nothing once {@code maxAttempts} are spent (the
 * delivery is then {@code failed}). A delivery whose webhook was deleted or deactivated meanwhile
 * is {@code dropped} without a request.
 */
@Component
class WebhookDeliveries {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    static final String DROPPED = "dropped";

    private final DSLContext db;
    private final WebhookDirectory webhooks;
    private final PersonalData sealing;
    private final WebhookSender sender;
    private final WebhookProperties settings;
    private final Clock clock;

    WebhookDeliveries(DSLContext db, WebhookDirectory webhooks, PersonalData sealing, WebhookSender sender,
                      WebhookProperties settings, Clock clock) {
        this.db = db;
        this.webhooks = webhooks;
        this.sealing = sealing;
        this.sender = sender;
        this.settings = settings;
        this.clock = clock;
    }

    CompletionHandler<String> attempt(String deliveryId) {
        Record delivery = db.selectFrom(WEBHOOK_DELIVERIES).where(WEBHOOK_DELIVERIES.ID.eq(deliveryId)).fetchOne();
        if (delivery == null || !WebhookOutbox.PENDING.equals(delivery.get(WEBHOOK_DELIVERIES.STATUS))) {
            return (complete, operations) -> operations.remove();
        }
        Optional<WebhookView> webhook = webhooks.find(delivery.get(WEBHOOK_DELIVERIES.WEBHOOK_ID)).filter(WebhookView::active);
        Optional<String> secret = webhook.flatMap(found -> sealing.open(found.sealedSecret()));
        if (secret.isEmpty()) {
            finish(deliveryId, DROPPED);
            return (complete, operations) -> operations.remove();
        }
        Integer attempt = db.update(WEBHOOK_DELIVERIES).set(WEBHOOK_DELIVERIES.ATTEMPTS, WEBHOOK_DELIVERIES.ATTEMPTS.plus(1))
                .where(WEBHOOK_DELIVERIES.ID.eq(deliveryId)).returningResult(WEBHOOK_DELIVERIES.ATTEMPTS)
                .fetchOne(WEBHOOK_DELIVERIES.ATTEMPTS);
        int number = attempt == null ? 1 : attempt;
        WebhookSender.Outcome outcome = sender.send(webhook.get().url(), secret.get(), delivery.get(WEBHOOK_DELIVERIES.EVENT),
                deliveryId, delivery.get(WEBHOOK_DELIVERIES.BODY));
        Instant now = clock.instant();
        Instant next = outcome.delivered() || number >= settings.maxAttempts() ? null : now.plus(backoff(number));
        db.insertInto(WEBHOOK_ATTEMPTS)
                .set(WEBHOOK_ATTEMPTS.DELIVERY_ID, deliveryId)
                .set(WEBHOOK_ATTEMPTS.ATTEMPT, number)
                .set(WEBHOOK_ATTEMPTS.WEBHOOK_ID, webhook.get().id())
                .set(WEBHOOK_ATTEMPTS.STATUS_CODE, outcome.statusCode())
                .set(WEBHOOK_ATTEMPTS.ERROR, outcome.error() != null ? outcome.error()
                        : outcome.delivered() ? null : "HTTP " + outcome.statusCode())
                .set(WEBHOOK_ATTEMPTS.RESPONSE_BODY, outcome.responseBody())
                .set(WEBHOOK_ATTEMPTS.DURATION_MS, outcome.durationMs())
                .set(WEBHOOK_ATTEMPTS.AT, utc(now))
                .set(WEBHOOK_ATTEMPTS.NEXT_ATTEMPT_AT, next == null ? null : utc(next))
                .onConflictDoNothing()
                .execute();
        if (outcome.delivered()) {
            finish(deliveryId, DELIVERED);
            return (complete, operations) -> operations.remove();
        }
        if (next == null) {
            log.info("Webhook delivery {} failed after {} attempts: {}", deliveryId, number, outcome.error());
            finish(deliveryId, FAILED);
            return (complete, operations) -> operations.remove();
        }
        return (complete, operations) -> operations.reschedule(complete, next);
    }

    /** 1 s, 2 s, 4 s … after attempts 1, 2, 3 … (with the default first retry). */
    Duration backoff(int attempt) {
        return settings.firstRetry().multipliedBy(1L << Math.min(attempt - 1, 20));
    }

    private void finish(String deliveryId, String status) {
        db.update(WEBHOOK_DELIVERIES).set(WEBHOOK_DELIVERIES.STATUS,
                status).where(WEBHOOK_DELIVERIES.ID.eq(deliveryId)).execute();
    }
}
