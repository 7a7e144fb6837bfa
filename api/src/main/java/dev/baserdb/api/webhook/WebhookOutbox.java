package dev.baserdb.api.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.baserdb.kernel.backup.BackupEvents;
import dev.baserdb.kernel.credential.CredentialEvents;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.data.RowEvents;
import dev.baserdb.kernel.data.RowReads;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.table.TableEvents;
import dev.baserdb.kernel.webhook.WebhookEventTypes;
import dev.baserdb.query.webhook.WebhookDirectory;
import dev.baserdb.query.webhook.WebhookView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.WEBHOOK_DELIVERIES;

/**
 * The durable outbox of webhook deliveries (API.md §13). A streaming processor with its own token
 * ({@value #GROUP}, segments shared between nodes through token claims) reads every event once; for
 * each subscribed, active webhook of the event's project that existed when the event happened it
 * writes one delivery row — unique per (webhook, event), so a replay or a stolen claim adds none —
 * and schedules its first attempt in the persistent scheduler, in the same transaction as the row
 * and the token. Each body is built here once and stored, so every attempt posts (and signs) the
 * same bytes.
 */
@Component
@ProcessingGroup(WebhookOutbox.GROUP)
class WebhookOutbox {

    static final String GROUP = "webhook-outbox";
    static final String PENDING = "pending";
    /** Events handled in one unit of work (and transaction, with one token update) when they are there to take. */
    static final int BATCH = 1000;
    /**
     * How long the outbox waits at the head of the stream for more events to join a batch: a
     * delivery's first attempt is scheduled up to this much later, and a trickle of writes costs each
     * segment a unit of work (and token update) per linger instead of per event.
     */
    static final Duration LINGER = Duration.ofMillis(200);
    private static final String ACTIVE_WEBHOOKS = WebhookOutbox.class.getName() + ".active";
    private static final String SUBSCRIBED_EVENTS = WebhookOutbox.class.getName() + ".subscribed";

    /** Non-row events as they appear in {@code data}: snake_case, sealed secrets left out. */
    private static final ObjectMapper PAYLOADS = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final WebhookDirectory webhooks;
    private final DataCatalog catalog;
    private final DSLContext db;
    private final Scheduler scheduler;
    private final CustomTask<String> deliveryTask;
    private final Clock clock;

    WebhookOutbox(WebhookDirectory webhooks, DataCatalog catalog, DSLContext db, Scheduler scheduler,
                  @Qualifier("webhookDeliveryTask") CustomTask<String> deliveryTask, Clock clock) {
        this.webhooks = webhooks;
        this.catalog = catalog;
        this.db = db;
        this.scheduler = scheduler;
        this.deliveryTask = deliveryTask;
        this.clock = clock;
    }

    /**
     * The payload is read only for an event some active webhook subscribes to by name: most events
     * (every row change of a project without webhooks) are passed over from their type alone.
     */
    @EventHandler
    void on(EventMessage<?> message, TrackingToken token) {
        Optional<String> name = WebhookEventTypes.of(message.getPayloadType());
        if (name.isEmpty() || !subscribedEvents().contains(name.get())) {
            return;
        }
        Object payload = message.getPayload();
        String projectId = projectOf(payload);
        if (projectId == null) {
            return;
        }
        List<WebhookView> subscribers = activeWebhooks(projectId).stream()
                .filter(webhook -> webhook.events().contains(name.get()))
                .filter(webhook -> !webhook.createdAt().isAfter(message.getTimestamp()))
                .toList();
        if (subscribers.isEmpty()) {
            return;
        }
        ObjectNode data = data(payload, message);
        long position = token.position().orElse(-1);
        for (WebhookView webhook : subscribers) {
            String deliveryId = Ids.newId("dlv");
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("event", name.get());
            body.put("event_id", message.getIdentifier());
            body.put("delivery_id", deliveryId);
            body.put("occurred_at", message.getTimestamp().toString());
            body.put("project_id", projectId);
            body.set("data", data);
            int written = db.insertInto(WEBHOOK_DELIVERIES)
                    .set(WEBHOOK_DELIVERIES.ID, deliveryId)
                    .set(WEBHOOK_DELIVERIES.WEBHOOK_ID, webhook.id())
                    .set(WEBHOOK_DELIVERIES.PROJECT_ID, projectId)
                    .set(WEBHOOK_DELIVERIES.EVENT, name.get())
                    .set(WEBHOOK_DELIVERIES.EVENT_ID, message.getIdentifier())
                    .set(WEBHOOK_DELIVERIES.POSITION, position)
                    .set(WEBHOOK_DELIVERIES.BODY, body.toString())
                    .set(WEBHOOK_DELIVERIES.STATUS, PENDING)
                    .set(WEBHOOK_DELIVERIES.CREATED_AT, utc(clock.instant()))
                    .onConflictOnConstraint(org.jooq.impl.DSL.name("webhook_deliveries_once")).doNothing()
                    .execute();
            if (written == 1) {
                scheduler.schedule(deliveryTask.instance(deliveryId, deliveryId), clock.instant());
                wakeSchedulerAfterCommit();
            }
        }
    }

    /** The event names any active webhook subscribes to, read once per batch of events (a unit of work). */
    private Set<String> subscribedEvents() {
        if (!CurrentUnitOfWork.isStarted()) {
            return webhooks.subscribedEvents();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(SUBSCRIBED_EVENTS, key -> webhooks.subscribedEvents());
    }

    /**
     * The active webhooks of a project, read once per batch of events this processor handles (a
     * unit of work) rather than once per event.
     */
    private List<WebhookView> activeWebhooks(String projectId) {
        if (!CurrentUnitOfWork.isStarted()) {
            return webhooks.active(projectId);
        }
        Map<String, List<WebhookView>> read = CurrentUnitOfWork.get().root()
                .getOrComputeResource(ACTIVE_WEBHOOKS, key -> new HashMap<>());
        return read.computeIfAbsent(projectId, webhooks::active);
    }

    /** The first attempt starts once the row is committed, not at the scheduler's next poll. */
    private void wakeSchedulerAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WebhookOutbox.this);
                if (status == STATUS_COMMITTED) {
                    scheduler.triggerCheckForDueExecutions();
                }
            }
        });
    }

    private static String projectOf(Object payload) {
        if (payload instanceof RowEvents row) {
            return row.projectId().value();
        }
        if (payload instanceof TableEvents table) {
            return table.projectId().value();
        }
        if (payload instanceof BackupEvents backup) {
            return backup.projectId().value();
        }
        if (payload instanceof CredentialEvents credential) {
            return credential.projectId().value();
        }
        return null;
    }

    /** For a row event the row version it wrote (as the owner sees it; password columns read as null). */
    private ObjectNode data(Object payload, EventMessage<?> message) {
        if (payload instanceof RowEvents row) {
            ObjectNode version = catalog.table(row.tableId().value())
                    .map(table -> RowReads.versions(db, table, Map.of(message.getIdentifier(), UUID.fromString(row.rowId())))
                            .get(message.getIdentifier()))
                    .orElse(null);
            return version != null ? version : JsonNodeFactory.instance.objectNode().put("id", row.rowId());
        }
        ObjectNode data = PAYLOADS.valueToTree(payload);
        for (Iterator<String> fields = data.fieldNames(); fields.hasNext(); ) {
            if (fields.next().contains("secret")) {
                fields.remove();
            }
        }
        return data;
    }
}
