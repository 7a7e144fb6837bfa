package dev.baserdb.api.platform.eventstore;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.Segment;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handlers of an inline read model, found by payload type: which of its invokers take a type is
 * asked once per type and remembered, instead of asking every handler of every invoker twice per
 * event (once whether the processor handles it, once to pick who does), which Axon's
 * {@link MultiEventHandlerInvoker} does. An inline read model handles events as they are applied,
 * never a replay token's and always in the root segment, so the type decides; the invoker picked
 * still chooses the handler method by the whole message.
 */
final class HandlersByType implements EventHandlerInvoker {

    private final EventHandlerInvoker all;
    private final List<EventHandlerInvoker> invokers;
    private final Map<Class<?>, List<EventHandlerInvoker>> byType = new ConcurrentHashMap<>();

    HandlersByType(EventHandlerInvoker all) {
        this.all = all;
        this.invokers = all instanceof MultiEventHandlerInvoker multi ? multi.delegates() : List.of(all);
    }

    private List<EventHandlerInvoker> takers(Class<?> payloadType) {
        return byType.computeIfAbsent(payloadType,
                type -> invokers.stream().filter(invoker -> invoker.canHandleType(type)).toList());
    }

    @Override
    public boolean canHandle(EventMessage<?> event, Segment segment) {
        return !takers(event.getPayloadType()).isEmpty();
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return !takers(payloadType).isEmpty();
    }

    @Override
    public void handle(EventMessage<?> event, Segment segment) throws Exception {
        for (EventHandlerInvoker invoker : takers(event.getPayloadType())) {
            invoker.handle(event, segment);
        }
    }

    @Override
    public boolean supportsReset() {
        return all.supportsReset();
    }

    @Override
    public void performReset() {
        all.performReset();
    }

    @Override
    public <R> void performReset(R resetContext) {
        all.performReset(resetContext);
    }
}
