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
import static dev.baserdb.kernel.readmodel.schema.Tables.WEBHOOKS;

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
        db.insertInto(WEBHOOKS)
                .set(WEBHOOKS.ID, event.webhookId().value())
                .set(WEBHOOKS.PROJECT_ID, event.projectId().value())
                .set(WEBHOOKS.ORGANIZATION_ID, event.organizationId().value())
                .set(WEBHOOKS.URL, event.url())
                .set(WEBHOOKS.EVENTS, event.events().toArray(String[]::new))
                .set(WEBHOOKS.SEALED_SECRET, event.sealedSecret())
                .set(WEBHOOKS.ACTIVE, event.active())
                .set(WEBHOOKS.CREATED_AT, utc(at))
                .set(WEBHOOKS.UPDATED_AT, utc(at))
                .set(WEBHOOKS.VERSION, version)
                .onConflict(WEBHOOKS.ID).doNothing()
                .execute();
    }

    @EventHandler
    void on(WebhookUpdated event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(WEBHOOKS)
                .set(WEBHOOKS.URL, event.url())
                .set(WEBHOOKS.EVENTS, event.events().toArray(String[]::new))
                .set(WEBHOOKS.SEALED_SECRET, event.sealedSecret())
                .set(WEBHOOKS.ACTIVE, event.active())
                .set(WEBHOOKS.UPDATED_AT, utc(at))
                .set(WEBHOOKS.VERSION, version)
                .where(WEBHOOKS.ID.eq(event.webhookId().value())).and(WEBHOOKS.VERSION.lt(version))
                .execute();
    }

    @EventHandler
    void on(WebhookDeleted event) {
        db.deleteFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(event.webhookId().value())).execute();
    }

    /** A deleted project's webhooks go with it (their pending deliveries are then dropped). */
    @EventHandler
    void on(ProjectDeleted event) {
        db.deleteFrom(WEBHOOKS).where(WEBHOOKS.PROJECT_ID.eq(event.projectId().value())).execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(WEBHOOKS).execute();
    }
}
