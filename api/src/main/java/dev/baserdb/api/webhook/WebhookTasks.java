package dev.baserdb.api.webhook;

import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.baserdb.api.platform.eventstore.EventStoreConfiguration;
import dev.baserdb.api.platform.eventstore.NoResultMessages;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
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

    /**
     * A tracking processor with a thread per segment it holds: {@code BASERDB_WEBHOOK_SEGMENTS}
     * segments, at most {@code BASERDB_WEBHOOK_CLAIMED_SEGMENTS} of them on this node (0: all). Its
     * handler reads every event, and most it passes over from their type alone, for which a tracking
     * processor costs less than a pooled one (see {@link EventStoreConfiguration#tracking}).
     */
    @Autowired
    void configureOutbox(EventProcessingConfigurer processing, WebhookProperties settings) {
        int segments = Math.max(1, settings.segments());
        int threads = settings.claimedSegments() > 0 ? Math.min(settings.claimedSegments(), segments) : segments;
        processing.registerEventProcessor(WebhookOutbox.GROUP, (name, configuration, invokers) ->
                        EventStoreConfiguration.tracking(name, configuration, invokers,
                                TrackingEventProcessorConfiguration.forParallelProcessing(threads)
                                        .andInitialSegmentsCount(segments)
                                        .andBatchSize(WebhookOutbox.BATCH)
                                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken),
                                WebhookOutbox.LINGER))
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
