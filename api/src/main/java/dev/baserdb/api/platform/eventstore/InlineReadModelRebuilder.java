package dev.baserdb.api.platform.eventstore;

import dev.baserdb.kernel.error.BaserDbException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Rebuilds an inline (subscribing) read model from the event store alone: its reset handlers empty
 * its tables, then every stored event, in global order, goes through the very handlers that keep
 * it current. All in one transaction, so readers see the old tables until the new ones are
 * complete.
 */
@Component
public class InlineReadModelRebuilder {

    private final EventProcessingConfiguration processing;
    private final EventStorageEngine events;
    private final TransactionTemplate transaction;

    InlineReadModelRebuilder(EventProcessingConfiguration processing, EventStorageEngine events,
                             PlatformTransactionManager transactionManager) {
        this.processing = processing;
        this.events = events;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Rebuilds the processing group's read model; returns how many events its handlers took. */
    public long rebuild(String processingGroup) {
        return rebuild(processingGroup, globalIndex -> {
        });
    }

    /** The same, telling {@code progress} the global index of every event streamed through. */
    public long rebuild(String processingGroup, LongConsumer progress) {
        SubscribingEventProcessor processor = processing
                .eventProcessorByProcessingGroup(processingGroup, SubscribingEventProcessor.class)
                .orElseThrow(() -> BaserDbException.notFound("Inline read model " + processingGroup));
        EventHandlerInvoker handlers = processor.eventHandlerInvoker();
        Long handled = transaction.execute(status -> {
            handlers.performReset();
            long[] count = {0};
            try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(null, false)) {
                stream.forEachOrdered(event -> {
                    if (handlers.canHandle(event, Segment.ROOT_SEGMENT)) {
                        handle(handlers, event);
                        count[0]++;
                    }
                    event.trackingToken().position().ifPresent(progress::accept);
                });
            }
            return count[0];
        });
        return handled == null ? 0 : handled;
    }

    private static void handle(EventHandlerInvoker handlers, TrackedEventMessage<?> event) {
        try {
            handlers.handle(event, Segment.ROOT_SEGMENT);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Rebuild failed at event " + event.getIdentifier(), e);
        }
    }
}
