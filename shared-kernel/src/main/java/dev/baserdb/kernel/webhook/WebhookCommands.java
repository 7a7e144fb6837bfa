package dev.baserdb.kernel.webhook;

import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.WebhookId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/**
 * Commands of the {@code Webhook} aggregate (API.md §13). The signing secret travels only sealed
 * under the project's data key; the plaintext never enters a command or an event. The API has
 * checked the target URL and the event names before it sends one.
 */
public sealed interface WebhookCommands {

    WebhookId webhookId();

    record CreateWebhook(@TargetAggregateIdentifier WebhookId webhookId, ProjectId projectId,
                         OrganizationId organizationId, String url, List<String> events, String sealedSecret,
                         boolean active) implements WebhookCommands {
    }

    /** Each field null for "unchanged". */
    record UpdateWebhook(@TargetAggregateIdentifier WebhookId webhookId, String url, List<String> events,
                         String sealedSecret, Boolean active, @TargetAggregateVersion Long expectedVersion)
            implements WebhookCommands {
    }

    record DeleteWebhook(@TargetAggregateIdentifier WebhookId webhookId,
                         @TargetAggregateVersion Long expectedVersion) implements WebhookCommands {
    }
}
