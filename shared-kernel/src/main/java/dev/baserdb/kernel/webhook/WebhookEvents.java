package dev.baserdb.kernel.webhook;

import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.WebhookId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * Events of the {@code Webhook} aggregate. {@code sealedSecret} is sealed under the project's data
 * key and its name marks it a secret: the audit trail and history redact it.
 */
public sealed interface WebhookEvents {

    WebhookId webhookId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record WebhookCreated(WebhookId webhookId, ProjectId projectId, OrganizationId organizationId, String url,
                          List<String> events, String sealedSecret, boolean active) implements WebhookEvents {
    }

    /** The webhook as it now is (every field, changed or not). */
    @Revision("1")
    record WebhookUpdated(WebhookId webhookId, ProjectId projectId, OrganizationId organizationId, String url,
                          List<String> events, String sealedSecret, boolean active) implements WebhookEvents {
    }

    @Revision("1")
    record WebhookDeleted(WebhookId webhookId, ProjectId projectId, OrganizationId organizationId)
            implements WebhookEvents {
    }
}
