package dev.baserdb.query.webhook;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.schema.Tables.WEBHOOKS;
import static dev.baserdb.kernel.readmodel.schema.Tables.WEBHOOK_ATTEMPTS;
import static dev.baserdb.kernel.readmodel.schema.Tables.WEBHOOK_DELIVERIES;

/** Reads the webhooks read model and the delivery log (API.md §13). */
@Service
public class WebhookDirectory {

    private final DSLContext db;

    public WebhookDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<WebhookView> find(String id) {
        return db.selectFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(id)).fetchOptional(WebhookDirectory::view);
    }

    public List<WebhookView> webhooksOf(String projectId) {
        return db.selectFrom(WEBHOOKS).where(WEBHOOKS.PROJECT_ID.eq(projectId))
                .orderBy(WEBHOOKS.CREATED_AT, WEBHOOKS.ID).fetch(WebhookDirectory::view);
    }

    /** The active webhooks of a project. */
    /** The event names at least one active webhook of any project subscribes to. */
    public Set<String> subscribedEvents() {
        return db.selectDistinct(DSL.function("unnest", String.class, WEBHOOKS.EVENTS))
                .from(WEBHOOKS).where(WEBHOOKS.ACTIVE.isTrue())
                .fetchSet(0, String.class);
    }

    public List<WebhookView> active(String projectId) {
        return db.selectFrom(WEBHOOKS).where(WEBHOOKS.PROJECT_ID.eq(projectId)).and(WEBHOOKS.ACTIVE.isTrue())
                .fetch(WebhookDirectory::view);
    }

    /** The webhook's delivery attempts, newest first. */
    public List<DeliveryAttemptView> attempts(String webhookId, int limit, int offset) {
        return db.select(WEBHOOK_ATTEMPTS.DELIVERY_ID, WEBHOOK_DELIVERIES.EVENT, WEBHOOK_DELIVERIES.EVENT_ID,
                        WEBHOOK_ATTEMPTS.ATTEMPT, WEBHOOK_ATTEMPTS.STATUS_CODE, WEBHOOK_ATTEMPTS.ERROR,
                        WEBHOOK_ATTEMPTS.DURATION_MS, WEBHOOK_ATTEMPTS.AT, WEBHOOK_ATTEMPTS.NEXT_ATTEMPT_AT)
                .from(WEBHOOK_ATTEMPTS).join(WEBHOOK_DELIVERIES).on(WEBHOOK_DELIVERIES.ID.eq(WEBHOOK_ATTEMPTS.DELIVERY_ID))
                .where(WEBHOOK_ATTEMPTS.WEBHOOK_ID.eq(webhookId))
                .orderBy(WEBHOOK_ATTEMPTS.AT.desc(), WEBHOOK_ATTEMPTS.ATTEMPT.desc())
                .limit(limit).offset(offset)
                .fetch(r -> new DeliveryAttemptView(r.get(WEBHOOK_ATTEMPTS.DELIVERY_ID), r.get(WEBHOOK_DELIVERIES.EVENT),
                        r.get(WEBHOOK_DELIVERIES.EVENT_ID), r.get(WEBHOOK_ATTEMPTS.ATTEMPT), r.get(WEBHOOK_ATTEMPTS.STATUS_CODE),
                        r.get(WEBHOOK_ATTEMPTS.ERROR), r.get(WEBHOOK_ATTEMPTS.DURATION_MS), instant(r.get(WEBHOOK_ATTEMPTS.AT)),
                        instant(r.get(WEBHOOK_ATTEMPTS.NEXT_ATTEMPT_AT))));
    }

    private static WebhookView view(Record r) {
        return new WebhookView(r.get(WEBHOOKS.ID), r.get(WEBHOOKS.PROJECT_ID), r.get(WEBHOOKS.ORGANIZATION_ID),
                r.get(WEBHOOKS.URL), Arrays.asList(r.get(WEBHOOKS.EVENTS)), r.get(WEBHOOKS.SEALED_SECRET),
                r.get(WEBHOOKS.ACTIVE), instant(r.get(WEBHOOKS.CREATED_AT)), instant(r.get(WEBHOOKS.UPDATED_AT)),
                r.get(WEBHOOKS.VERSION));
    }
}
