package dev.baserdb.api.platform.eventstore;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A processor's handlers, found by payload type: which of its invokers take a type is asked once
 * per type and remembered, and whether each supports a reset once, instead of asking every handler
 * of every invoker for every event, twice (once whether the processor handles it, once to pick who
 * does), which Axon's {@link MultiEventHandlerInvoker} does: 29 % of a batch insert's samples for the
 * inline read models, 7-9 % of an audit replay's. In the root segment (an inline read model's, and
 * the audit's only one, which every event's sequence matches) the type decides, and during a replay
 * only the invokers that support a reset take events; another segment is asked as Axon asks it. The
 * invoker picked still chooses the handler method by the whole message.
 */
final class HandlersByType implements EventHandlerInvoker {

    private final EventHandlerInvoker all;
    private final List<EventHandlerInvoker> invokers;
    private final Map<Class<?>, Takers> byType = new ConcurrentHashMap<>();
    private final Map<EventHandlerInvoker, Boolean> resets = new ConcurrentHashMap<>();

    HandlersByType(EventHandlerInvoker all) {
        this.all = all;
        this.invokers = all instanceof MultiEventHandlerInvoker multi ? multi.delegates() : List.of(all);
    }

    /**
     * The invokers that take a payload type, live and during a replay (those that support a reset).
     * When they are the same, whether an event is replayed is not asked at all (Axon's
     * {@link ReplayToken#isReplay} unwraps the token into an {@code Optional} per event). Under a JFR
     * profile ({@code bench/replay.sh} with {@code BENCH_PROFILE}) that question also cost the audit
     * replay a deoptimization per event: the processor's compiled code, made while it ran live,
     * trapped back into the interpreter at Axon's branch on the token's type for every replayed event
     * and was never compiled again, so the profile showed that instead of the replay's own work.
     */
    private record Takers(List<EventHandlerInvoker> live, List<EventHandlerInvoker> inReplay) {

        List<EventHandlerInvoker> of(EventMessage<?> event) {
            return live.size() == inReplay.size() || !ReplayToken.isReplay(event) ? live : inReplay;
        }
    }

    private Takers takers(Class<?> payloadType) {
        return byType.computeIfAbsent(payloadType, type -> {
            List<EventHandlerInvoker> live = invokers.stream().filter(invoker -> invoker.canHandleType(type)).toList();
            return new Takers(live, live.stream().filter(this::resets).toList());
        });
    }

    private boolean resets(EventHandlerInvoker invoker) {
        return resets.computeIfAbsent(invoker, EventHandlerInvoker::supportsReset);
    }

    @Override
    public boolean canHandle(EventMessage<?> event, Segment segment) {
        if (segment.getMask() != 0) {
            return all.canHandle(event, segment);
        }
        return !takers(event.getPayloadType()).of(event).isEmpty();
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return !takers(payloadType).live().isEmpty();
    }

    @Override
    public void handle(EventMessage<?> event, Segment segment) throws Exception {
        if (segment.getMask() != 0) {
            all.handle(event, segment);
            return;
        }
        for (EventHandlerInvoker invoker : takers(event.getPayloadType()).of(event)) {
            invoker.handle(event, segment);
        }
    }

    @Override
    public boolean supportsReset() {
        return invokers.stream().anyMatch(this::resets);
    }

    @Override
    public void performReset() {
        all.performReset();
    }

    @Override
    public <R> void performReset(R resetContext) {
        all.performReset(resetContext);
    }

    @Override
    public void segmentReleased(Segment segment) {
        all.segmentReleased(segment);
    }
}
