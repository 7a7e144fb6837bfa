package dev.baserdb.api.platform.eventstore;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An inline read model sees the events its handlers take, in order, and no batch without one. */
class HandledEventsTest {

    static class TextReadModel {
        @EventHandler
        void on(String text) {
        }
    }

    @Test
    void aReadModelGetsOnlyTheEventsOfTypesItHandlesInTheirOrder() {
        SimpleEventBus bus = SimpleEventBus.builder().build();
        List<List<Object>> batches = new ArrayList<>();
        new HandledEvents(bus, SimpleEventHandlerInvoker.builder().eventHandlers(new TextReadModel()).build())
                .subscribe(events -> batches.add(events.stream().map(EventMessage::getPayload).map(Object.class::cast).toList()));

        bus.publish(event("a"), event(1), event("b"), event(2L), event("c"));
        bus.publish(event(3), event(4));
        bus.publish(event("d"), event("e"));

        assertThat(batches).containsExactly(List.of("a", "b", "c"), List.of("d", "e"));
    }

    private static EventMessage<?> event(Object payload) {
        return GenericEventMessage.asEventMessage(payload);
    }
}
