package dev.baserdb.api.webhook;

import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.baserdb.api.platform.eventstore.NoResultMessages;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring of webhook deliveries: the outbox's streaming processor (its own token; it starts at the
 * head of the event store when first made, so an existing log is not sent to webhooks created
 * later), the sender, and the persistent scheduler's task {@value #DELIVERY} (instance = delivery id).
 */
@Configuration
class WebhookTasks {

    static final String DELIVERY = "webhook-delivery";

    @Autowired
    void configureOutbox(EventProcessingConfigurer processing, WebhookProperties settings) {
        processing.registerPooledStreamingEventProcessor(WebhookOutbox.GROUP,
                org.axonframework.config.Configuration::eventStore,
                (configuration, builder) -> builder.initialSegmentCount(Math.max(1, settings.segments()))
                        .batchSize(WebhookOutbox.BATCH)
                        .maxClaimedSegments(settings.claimedSegments() > 0 ? settings.claimedSegments() : Short.MAX_VALUE)
                        .initialToken(StreamableMessageSource::createHeadToken))
                // the outbox sends no Axon message and reads no metadata
                .registerHandlerInterceptor(WebhookOutbox.GROUP, configuration -> NoResultMessages.interceptor());
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(WebhookProperties settings) {
        return new WebhookSender(new WebhookTargets(settings.allowLoopback()), settings.timeout());
    }

    @Bean
    WebhookTargets webhookTargets(WebhookProperties settings) {
        return new WebhookTargets(settings.allowLoopback());
    }

    /** The deliveries service is looked up when an attempt runs (it needs beans made after the scheduler's tasks). */
    @Bean
    CustomTask<String> webhookDeliveryTask(ObjectProvider<WebhookDeliveries> deliveries) {
        return Tasks.custom(DELIVERY, String.class)
                .execute((instance, context) -> deliveries.getObject().attempt(instance.getData()));
    }
}
