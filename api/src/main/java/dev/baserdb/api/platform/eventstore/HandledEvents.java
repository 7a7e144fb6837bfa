package dev.baserdb.api.platform.eventstore;

import org.axonframework.common.Registration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.SubscribableMessageSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The event bus as one inline (subscribing) read model sees it: only the events of a payload type
 * one of its handlers takes, in their order; a batch with none of them does not reach it at all.
 * Axon otherwise hands every event of a unit of work to every inline read model, which then asks
 * each of its handlers whether it takes it: a data-API batch of 500 rows went through a dozen read
 * models' handler lists 500 times each. Whether a type is taken is the read model's handlers'
 * answer by payload type ({@link HandlersByType}, which asks once per type and remembers it).
 */
final class HandledEvents implements SubscribableMessageSource<EventMessage<?>> {

    private final SubscribableMessageSource<EventMessage<?>> bus;
    private final HandlersByType handlers;

    HandledEvents(SubscribableMessageSource<EventMessage<?>> bus, HandlersByType handlers) {
        this.bus = bus;
        this.handlers = handlers;
    }

    @Override
    public Registration subscribe(Consumer<List<? extends EventMessage<?>>> readModel) {
        return bus.subscribe(events -> {
            List<? extends EventMessage<?>> mine = takenOf(events);
            if (!mine.isEmpty()) {
                readModel.accept(mine);
            }
        });
    }

    private List<? extends EventMessage<?>> takenOf(List<? extends EventMessage<?>> events) {
        List<EventMessage<?>> mine = null;
        for (int i = 0; i < events.size(); i++) {
            EventMessage<?> event = events.get(i);
            boolean takes = handlers.canHandleType(event.getPayloadType());
            if (mine == null && !takes) {
                mine = new ArrayList<>(events.subList(0, i));
            } else if (mine != null && takes) {
                mine.add(event);
            }
        }
        return mine == null ? events : mine;
    }
}
