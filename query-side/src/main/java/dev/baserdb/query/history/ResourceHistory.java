package dev.baserdb.query.history;

import dev.baserdb.kernel.EventNames;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Service;

import java.util.List;

/** Reads a resource's events, oldest first, straight from the event store. */
@Service
public class ResourceHistory {

    private final EventStore events;

    public ResourceHistory(EventStore events) {
        this.events = events;
    }

    public List<HistoryEntry> of(String aggregateId) {
        return events.readEvents(aggregateId).asStream().map(ResourceHistory::toEntry).toList();
    }

    private static HistoryEntry toEntry(DomainEventMessage<?> event) {
        MetaData metaData = event.getMetaData();
        return new HistoryEntry(event.getIdentifier(), EventNames.action(event.getPayloadType()),
                event.getSequenceNumber(), event.getTimestamp(), text(metaData, "actor_type"),
                text(metaData, "actor_id"), text(metaData, "impersonator_id"), text(metaData, "request_id"),
                event.getPayload());
    }

    private static String text(MetaData metaData, String key) {
        Object value = metaData.get(key);
        return value == null ? null : value.toString();
    }
}
