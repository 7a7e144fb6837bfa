package dev.baserdb.query.platform;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Service;

/**
 * The current version of an aggregate (its last event's sequence number), as the event store knows
 * it: the {@code ETag} of a single resource, and what an {@code If-Match} is compared with. Asked
 * through Axon's {@link EventStore}, so it answers the same with the JDBC store and Axon Server.
 */
@Service
public class AggregateVersions {

    private final EventStore eventStore;

    public AggregateVersions(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The sequence number of the aggregate's last event; -1 when it has none. */
    public long current(String aggregateId) {
        return eventStore.lastSequenceNumberFor(aggregateId).orElse(-1L);
    }
}
