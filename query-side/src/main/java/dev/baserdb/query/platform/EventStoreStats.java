package dev.baserdb.query.platform;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Service;

/**
 * Where the event store stands: its head, the position of the newest event. Asked through Axon's
 * {@link EventStore} (its head token), so it answers with the JDBC store and Axon Server alike.
 */
@Service
public class EventStoreStats {

    private final EventStore eventStore;

    public EventStoreStats(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The position of the newest event (the JDBC store's highest global index); 0 when the store is empty. */
    public long head() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0 : Math.max(0, head.position().orElse(0));
    }
}
