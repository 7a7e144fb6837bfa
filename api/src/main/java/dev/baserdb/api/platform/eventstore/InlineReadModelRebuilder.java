package dev.baserdb.api.platform.eventstore;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.eventlog.EventLog;
import dev.baserdb.kernel.eventlog.StoredEventHandler;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Rebuilds an inline (subscribing) read model from the event store alone: its reset handlers empty
 * its tables, then every stored event, in global order, goes through the very handlers that keep
 * it current. All in one transaction, so readers see the old tables until the new ones are
 * complete. A read model may take its most frequent events the short way ({@link StoredEventHandler}:
 * as stored, without Axon's deserialization and handler dispatch); the order stays that of the
 * store, since each side writes what it holds before the other gets an event.
 *
 * <p>Writes wait while a rebuild runs. Its transaction first holds appends back
 * ({@link EventLog#holdAppends}; with the JDBC event store a lock on the event table that every
 * append conflicts with): appends already under way finish first (their events are then in the
 * stream), and the ones that come later wait until the new tables are committed and then apply to
 * them. Without it, an update whose event the stream had not seen yet could land on a row the
 * reset had already deleted and vanish. Through Axon's API (the {@code axonserver} profile) there is
 * no such fence: the rebuild reads the events up to the head it finds and a warning is logged;
 * docs/operations.md says to rebuild there only while nothing writes.
 */
@Component
public class InlineReadModelRebuilder {

    /** Events per unit of work of a rebuild. */
    private static final int BATCH = 1000;

    private static final Logger log = LoggerFactory.getLogger(InlineReadModelRebuilder.class);

    private final EventProcessingConfiguration processing;
    private final EventLog events;
    private final TransactionTemplate transaction;
    private final List<StoredEventHandler> shortcuts;

    InlineReadModelRebuilder(EventProcessingConfiguration processing, EventLog events,
                             PlatformTransactionManager transactionManager, List<StoredEventHandler> shortcuts) {
        this.processing = processing;
        this.events = events;
        this.transaction = new TransactionTemplate(transactionManager);
        this.shortcuts = shortcuts;
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
            if (!events.holdAppends()) {
                log.warn("Rebuilding {} without holding appends back (the event store offers no fence):"
                        + " writes made meanwhile may be missing from it", processingGroup);
            }
            handlers.performReset();
            long[] count = {0};
            List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH);
            StoredEventHandler shortcut = shortcut(processingGroup);
            StoredEventHandler.Rebuild stored = shortcut == null ? null : shortcut.rebuild();
            boolean[] storedPending = {false};
            EventLog.StoredEvents asStored = new EventLog.StoredEvents() {
                @Override
                public boolean takes(String payloadType, String payloadRevision) {
                    return shortcut != null && shortcut.takes(payloadType, payloadRevision);
                }

                @Override
                public void accept(EventLog.StoredEvent event) {
                    // the events before it have gone through the Axon handlers first
                    handle(handlers, batch);
                    stored.handle(event);
                    storedPending[0] = true;
                    count[0]++;
                    progress.accept(event.globalIndex());
                }
            };
            // an inline read model's handlers answer this by payload type, asked once per type (HandlersByType)
            events.replay(asStored, event -> {
                if (handlers.canHandle(event, Segment.ROOT_SEGMENT)) {
                    if (storedPending[0]) {
                        // and the events before it taken as stored are written before it goes through them
                        stored.flush();
                        storedPending[0] = false;
                    }
                    batch.add(event);
                    count[0]++;
                    if (batch.size() == BATCH) {
                        handle(handlers, batch);
                    }
                }
                event.trackingToken().position().ifPresent(progress::accept);
            });
            handle(handlers, batch);
            if (stored != null) {
                stored.finish();
            }
            return count[0];
        });
        return handled == null ? 0 : handled;
    }

    /** The short way of the processing group's rebuild for some of its events, if it has one (else null). */
    private StoredEventHandler shortcut(String processingGroup) {
        return shortcuts.stream().filter(shortcut -> shortcut.processingGroup().equals(processingGroup)).findFirst()
                .orElse(null);
    }

    private static void deserialize(TrackedEventMessage<?> event) {
        try {
            event.getPayload();
            event.getMetaData();
            event.getTimestamp();
        } catch (RuntimeException unreadable) {
            // left to the handler, which meets it again
        }
    }

    /**
     * Events go through the handlers in batches, each one unit of work as when they were live, so
     * that handlers which write set-based (the data plane) can gather a batch's rows.
     */
    private static void handle(EventHandlerInvoker handlers, List<TrackedEventMessage<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // The handlers run one event after the other; what each of them will read first (the payload, the
        // metadata and the timestamp, deserialized on first use and kept by the message) is made for the
        // whole batch beforehand, on every core. An event that cannot be read fails in its handler as before.
        batch.parallelStream().forEach(InlineReadModelRebuilder::deserialize);
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
