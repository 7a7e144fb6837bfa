package dev.baserdb.projection.webhook;

import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookCreated;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookDeleted;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookUpdated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.time.Instant;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.WebhookTables.Webhooks;

/**
 * Webhooks as they now are (API.md §13), with their secret sealed. Inline, so a created webhook is
 * listed at once and the delivery outbox sees a deletion with the next event. Upserts keyed by id
 * and guarded by version, so a replay gives the same table.
 */
@Component
@ProcessingGroup(WebhookProjection.GROUP)
class WebhookProjection {

    static final String GROUP = "webhooks";

    private final DSLContext db;

    WebhookProjection(DSLContext db) {
        this.db = db;
    }

    @EventHandler
    void on(WebhookCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        db.insertInto(Webhooks.TABLE)
                .set(Webhooks.ID, event.webhookId().value())
                .set(Webhooks.PROJECT_ID, event.projectId().value())
                .set(Webhooks.ORGANIZATION_ID, event.organizationId().value())
                .set(Webhooks.URL, event.url())
                .set(Webhooks.EVENTS, event.events().toArray(String[]::new))
                .set(Webhooks.SEALED_SECRET, event.sealedSecret())
                .set(Webhooks.ACTIVE, event.active())
                .set(Webhooks.CREATED_AT, utc(at))
                .set(Webhooks.UPDATED_AT, utc(at))
                .set(Webhooks.VERSION, version)
                .onConflict(Webhooks.ID).doNothing()
                .execute();
    }

    @EventHandler
    void on(WebhookUpdated event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(Webhooks.TABLE)
                .set(Webhooks.URL, event.url())
                .set(Webhooks.EVENTS, event.events().toArray(String[]::new))
                .set(Webhooks.SEALED_SECRET, event.sealedSecret())
                .set(Webhooks.ACTIVE, event.active())
                .set(Webhooks.UPDATED_AT, utc(at))
                .set(Webhooks.VERSION, version)
                .where(Webhooks.ID.eq(event.webhookId().value())).and(Webhooks.VERSION.lt(version))
                .execute();
    }

    @EventHandler
    void on(WebhookDeleted event) {
        db.deleteFrom(Webhooks.TABLE).where(Webhooks.ID.eq(event.webhookId().value())).execute();
    }

    /** A deleted project's webhooks go with it (their pending deliveries are then dropped). */
    @EventHandler
    void on(ProjectDeleted event) {
        db.deleteFrom(Webhooks.TABLE).where(Webhooks.PROJECT_ID.eq(event.projectId().value())).execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(Webhooks.TABLE).execute();
    }
}
