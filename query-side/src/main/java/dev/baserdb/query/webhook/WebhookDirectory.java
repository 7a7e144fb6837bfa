package dev.baserdb.query.webhook;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.WebhookTables.Attempts;
import static dev.baserdb.kernel.readmodel.WebhookTables.Deliveries;
import static dev.baserdb.kernel.readmodel.WebhookTables.Webhooks;

/** Reads the webhooks read model and the delivery log (API.md §13). */
@Service
public class WebhookDirectory {

    private final DSLContext db;

    public WebhookDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<WebhookView> find(String id) {
        return db.selectFrom(Webhooks.TABLE).where(Webhooks.ID.eq(id)).fetchOptional(WebhookDirectory::view);
    }

    public List<WebhookView> webhooksOf(String projectId) {
        return db.selectFrom(Webhooks.TABLE).where(Webhooks.PROJECT_ID.eq(projectId))
                .orderBy(Webhooks.CREATED_AT, Webhooks.ID).fetch(WebhookDirectory::view);
    }

    /** The active webhooks of a project. */
    public List<WebhookView> active(String projectId) {
        return db.selectFrom(Webhooks.TABLE).where(Webhooks.PROJECT_ID.eq(projectId)).and(Webhooks.ACTIVE.isTrue())
                .fetch(WebhookDirectory::view);
    }

    /** The webhook's delivery attempts, newest first. */
    public List<DeliveryAttemptView> attempts(String webhookId, int limit, int offset) {
        return db.select(Attempts.DELIVERY_ID, Deliveries.EVENT, Deliveries.EVENT_ID, Attempts.ATTEMPT,
                        Attempts.STATUS_CODE, Attempts.ERROR, Attempts.DURATION_MS, Attempts.AT, Attempts.NEXT_ATTEMPT_AT)
                .from(Attempts.TABLE).join(Deliveries.TABLE).on(Deliveries.ID.eq(Attempts.DELIVERY_ID))
                .where(Attempts.WEBHOOK_ID.eq(webhookId))
                .orderBy(Attempts.AT.desc(), Attempts.ATTEMPT.desc())
                .limit(limit).offset(offset)
                .fetch(r -> new DeliveryAttemptView(r.get(Attempts.DELIVERY_ID), r.get(Deliveries.EVENT),
                        r.get(Deliveries.EVENT_ID), r.get(Attempts.ATTEMPT), r.get(Attempts.STATUS_CODE),
                        r.get(Attempts.ERROR), r.get(Attempts.DURATION_MS), instant(r.get(Attempts.AT)),
                        r.get(Attempts.NEXT_ATTEMPT_AT) == null ? null : instant(r.get(Attempts.NEXT_ATTEMPT_AT))));
    }

    private static WebhookView view(Record r) {
        return new WebhookView(r.get(Webhooks.ID), r.get(Webhooks.PROJECT_ID), r.get(Webhooks.ORGANIZATION_ID),
                r.get(Webhooks.URL), Arrays.asList(r.get(Webhooks.EVENTS)), r.get(Webhooks.SEALED_SECRET),
                r.get(Webhooks.ACTIVE), instant(r.get(Webhooks.CREATED_AT)), instant(r.get(Webhooks.UPDATED_AT)),
                r.get(Webhooks.VERSION));
    }
}
