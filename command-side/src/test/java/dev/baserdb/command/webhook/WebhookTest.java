package dev.baserdb.command.webhook;

import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.WebhookId;
import dev.baserdb.kernel.webhook.WebhookCommands.CreateWebhook;
import dev.baserdb.kernel.webhook.WebhookCommands.DeleteWebhook;
import dev.baserdb.kernel.webhook.WebhookCommands.UpdateWebhook;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookCreated;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookDeleted;
import dev.baserdb.kernel.webhook.WebhookEvents.WebhookUpdated;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;

/** The Webhook aggregate: creation with known events only, partial updates, deletion. */
class WebhookTest {

    private static final WebhookId WEBHOOK = WebhookId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final String SEALED = "pd1:" + PROJECT.value() + ":c2VhbGVk";
    private static final String URL = "https://hooks.example.com/in";

    private FixtureConfiguration<Webhook> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Webhook.class);
    }

    private static WebhookCreated aWebhook() {
        return new WebhookCreated(WEBHOOK, PROJECT, ORG, URL, List.of("row.inserted"), SEALED, true);
    }

    @Test
    void given_nothing_when_created_with_known_events_then_WebhookCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhook(WEBHOOK, PROJECT, ORG, URL, List.of("row.inserted"), SEALED, true))
                .expectEvents(aWebhook());
    }

    @Test
    void given_nothing_when_created_with_an_unknown_event_then_validation_fails() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhook(WEBHOOK, PROJECT, ORG, URL, List.of("row.exploded"), SEALED, true))
                .expectNoEvents()
                .expectException(withCode(VALIDATION_FAILED));
    }

    @Test
    void given_nothing_when_created_without_events_then_validation_fails() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhook(WEBHOOK, PROJECT, ORG, URL, List.of(), SEALED, true))
                .expectException(withCode(VALIDATION_FAILED));
    }

    @Test
    void given_a_webhook_when_only_active_changes_then_the_rest_is_kept() {
        fixture.given(aWebhook())
                .when(new UpdateWebhook(WEBHOOK, null, null, null, false, null))
                .expectEvents(new WebhookUpdated(WEBHOOK, PROJECT, ORG, URL, List.of("row.inserted"), SEALED, false));
    }

    @Test
    void given_a_webhook_when_updated_with_an_unknown_event_then_validation_fails() {
        fixture.given(aWebhook())
                .when(new UpdateWebhook(WEBHOOK, null, List.of("nope"), null, null, null))
                .expectException(withCode(VALIDATION_FAILED));
    }

    @Test
    void given_a_deleted_webhook_when_updated_or_deleted_then_not_found() {
        fixture.given(aWebhook(), new WebhookDeleted(WEBHOOK, PROJECT, ORG))
                .when(new DeleteWebhook(WEBHOOK, null))
                .expectException(withCode(NOT_FOUND));
        fixture.given(aWebhook(), new WebhookDeleted(WEBHOOK, PROJECT, ORG))
                .when(new UpdateWebhook(WEBHOOK, URL, null, null, null, null))
                .expectException(withCode(NOT_FOUND));
    }

    @Test
    void given_a_webhook_when_deleted_then_WebhookDeleted() {
        fixture.given(aWebhook())
                .when(new DeleteWebhook(WEBHOOK, 0L))
                .expectEvents(new WebhookDeleted(WEBHOOK, PROJECT, ORG));
    }
}
