package dev.baserdb.command.webhook;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.WebhookId;
import dev.baserdb.kernel.webhook.WebhookCommands.CreateWebhook;
import dev.baserdb.kernel.webhook.WebhookCommands.DeleteWebhook;
import dev.baserdb.kernel.webhook.WebhookCommands.UpdateWebhook;
import dev.baserdb.kernel.webhook.WebhookEventTypes;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookCreated;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookDeleted;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookUpdated;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A project's webhook (API.md §13): where to post which events, signed with which (sealed) secret.
 * It decides that the subscription names only known events and is not empty; the target's address
 * is the API's to check (that needs DNS, which an aggregate does not do).
 */
@Aggregate
class Webhook {

    @AggregateIdentifier
    private WebhookId webhookId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private String url;
    private List<String> events;
    private String sealedSecret;
    private boolean active;
    private boolean deleted;

    Webhook() {
        // for Axon
    }

    @CommandHandler
    Webhook(CreateWebhook command) {
        requireEvents(command.events());
        apply(new WebhookCreated(command.webhookId(), command.projectId(), command.organizationId(), command.url(),
                List.copyOf(command.events()), command.sealedSecret(), command.active()));
    }

    @CommandHandler
    void handle(UpdateWebhook command) {
        requireExisting();
        if (command.events() != null) {
            requireEvents(command.events());
        }
        apply(new WebhookUpdated(webhookId, projectId, organizationId,
                command.url() == null ? url : command.url(),
                command.events() == null ? events : List.copyOf(command.events()),
                command.sealedSecret() == null ? sealedSecret : command.sealedSecret(),
                command.active() == null ? active : command.active()));
    }

    @CommandHandler
    void handle(DeleteWebhook command) {
        requireExisting();
        apply(new WebhookDeleted(webhookId, projectId, organizationId));
    }

    private void requireExisting() {
        if (deleted) {
            throw BaserDbException.notFound("Webhook");
        }
    }

    private static void requireEvents(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw BaserDbException.invalid("events", "must name at least one event");
        }
        for (String event : events) {
            if (!WebhookEventTypes.known(event)) {
                throw BaserDbException.invalid("events", "unknown event " + event + "; known: "
                        + String.join(", ", WebhookEventTypes.ALL));
            }
        }
    }

    @EventSourcingHandler
    void on(WebhookCreated event) {
        webhookId = event.webhookId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        url = event.url();
        events = event.events();
        sealedSecret = event.sealedSecret();
        active = event.active();
    }

    @EventSourcingHandler
    void on(WebhookUpdated event) {
        url = event.url();
        events = event.events();
        sealedSecret = event.sealedSecret();
        active = event.active();
    }

    @EventSourcingHandler
    void on(WebhookDeleted event) {
        deleted = true;
    }
}
