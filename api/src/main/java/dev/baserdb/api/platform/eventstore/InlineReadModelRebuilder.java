package dev.baserdb.api.platform.eventstore;

import dev.baserdb.kernel.error.BaserDbException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Rebuilds an inline (subscribing) read model from the event store alone: its reset handlers empty
 * its tables, then every stored event, in global order, goes through the very handlers that keep
 * it current. All in one transaction, so readers see the old tables until the new ones are
 * complete.
 *
 * <p>Writes wait while a rebuild runs. Its transaction first takes a lock on the event table that
 * every append conflicts with ({@code SHARE ROW EXCLUSIVE}): appends already under way finish
 * first (their events are then in the stream), and the ones that come later wait until the new
 * tables are committed and then apply to them. Without it, an update whose event the stream had
 * not seen yet could land on a row the reset had already deleted and vanish. Under Axon Server the
 * events live elsewhere and this fence does not hold; docs/operations.md says so.
 */
@Component
public class InlineReadModelRebuilder {

    /** Events per unit of work of a rebuild. */
    private static final int BATCH = 1000;

    private final EventProcessingConfiguration processing;
    private final EventStorageEngine events;
    private final TransactionTemplate transaction;
    private final DSLContext db;

    InlineReadModelRebuilder(EventProcessingConfiguration processing, EventStorageEngine events,
                             PlatformTransactionManager transactionManager, DSLContext db) {
        this.processing = processing;
        this.events = events;
        this.db = db;
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
            db.execute("LOCK TABLE domainevententry IN SHARE ROW EXCLUSIVE MODE");
            handlers.performReset();
            long[] count = {0};
            List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH);
            try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(null, false)) {
                stream.forEachOrdered(event -> {
                    if (handlers.canHandle(event, Segment.ROOT_SEGMENT)) {
                        batch.add(event);
                        count[0]++;
                        if (batch.size() == BATCH) {
                            handle(handlers, batch);
                        }
                    }
                    event.trackingToken().position().ifPresent(progress::accept);
                });
            }
            handle(handlers, batch);
            return count[0];
        });
        return handled == null ? 0 : handled;
    }

    /**
     * Events go through the handlers in batches, each one unit of work as when they were live, so
     * that handlers which write set-based (the data plane) can gather a batch's rows.
     */
    private static void handle(EventHandlerInvoker handlers, List<TrackedEventMessage<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        BatchingUnitOfWork<TrackedEventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(new ArrayList<>(batch));
        batch.clear();
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            handlers.handle(unitOfWork.getMessage(), Segment.ROOT_SEGMENT);
            return null;
        });
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Rebuild failed: " + failure.getMessage(), failure);
        }
    }
}
