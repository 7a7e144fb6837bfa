package dev.baserdb.api.platform.eventstore;

import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An inline read model sees the events its handlers take, in order, and no batch without one; a
 * processor's handlers are found by payload type, and during a replay only those that support a
 * reset take events.
 */
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
        HandlersByType handlers = new HandlersByType(
                SimpleEventHandlerInvoker.builder().eventHandlers(new TextReadModel()).build());
        new HandledEvents(bus, handlers)
                .subscribe(events -> batches.add(events.stream().map(EventMessage::getPayload).map(Object.class::cast).toList()));

        bus.publish(event("a"), event(1), event("b"), event(2L), event("c"));
        bus.publish(event(3), event(4));
        bus.publish(event("d"), event("e"));

        assertThat(batches).containsExactly(List.of("a", "b", "c"), List.of("d", "e"));
    }

    static class NumberReadModel {
        final List<Object> seen = new ArrayList<>();

        @EventHandler
        void on(Integer number) {
            seen.add(number);
        }

        @EventHandler
        void on(Long number) {
            seen.add(-number);
        }
    }

    @Test
    void handlersAreFoundByTypeAndStillChosenByTheWholeMessage() throws Exception {
        TextReadModel text = new TextReadModel();
        NumberReadModel numbers = new NumberReadModel();
        HandlersByType handlers = new HandlersByType(new MultiEventHandlerInvoker(
                SimpleEventHandlerInvoker.builder().eventHandlers(text).build(),
                SimpleEventHandlerInvoker.builder().eventHandlers(numbers).build()));

        assertThat(handlers.canHandle(event("a"), Segment.ROOT_SEGMENT)).isTrue();
        assertThat(handlers.canHandle(event(1), Segment.ROOT_SEGMENT)).isTrue();
        assertThat(handlers.canHandle(event(1.5), Segment.ROOT_SEGMENT)).isFalse();
        assertThat(handlers.canHandleType(Long.class)).isTrue();
        for (Object payload : List.of(1, "a", 2L, 1.5, 3)) {
            handlers.handle(event(payload), Segment.ROOT_SEGMENT);
        }
        assertThat(numbers.seen).containsExactly(1, -2L, 3);
    }

    @DisallowReplay
    static class OnlyLiveReadModel {
        final List<Object> seen = new ArrayList<>();

        @EventHandler
        void on(Integer number) {
            seen.add(number);
        }
    }

    @Test
    void duringAReplayOnlyTheHandlersThatSupportAResetTakeEvents() throws Exception {
        NumberReadModel replayable = new NumberReadModel();
        OnlyLiveReadModel live = new OnlyLiveReadModel();
        HandlersByType handlers = new HandlersByType(new MultiEventHandlerInvoker(
                SimpleEventHandlerInvoker.builder().eventHandlers(replayable).build(),
                SimpleEventHandlerInvoker.builder().eventHandlers(live).build()));
        TrackingToken replaying = ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(10),
                new GlobalSequenceTrackingToken(1));

        assertThat(handlers.supportsReset()).isTrue();
        assertThat(handlers.canHandle(new GenericTrackedEventMessage<>(replaying, event(7)), Segment.ROOT_SEGMENT)).isTrue();
        assertThat(handlers.canHandle(new GenericTrackedEventMessage<>(replaying, event(7L)), Segment.ROOT_SEGMENT)).isTrue();
        handlers.handle(new GenericTrackedEventMessage<>(replaying, event(7)), Segment.ROOT_SEGMENT);
        handlers.handle(event(8), Segment.ROOT_SEGMENT);

        assertThat(replayable.seen).containsExactly(7, 8);
        assertThat(live.seen).as("not in the replay, again live").containsExactly(8);

        HandlersByType onlyLive = new HandlersByType(SimpleEventHandlerInvoker.builder().eventHandlers(new OnlyLiveReadModel()).build());
        assertThat(onlyLive.supportsReset()).isFalse();
        assertThat(onlyLive.canHandle(new GenericTrackedEventMessage<>(replaying, event(7)), Segment.ROOT_SEGMENT)).isFalse();
        assertThat(onlyLive.canHandle(event(7), Segment.ROOT_SEGMENT)).isTrue();
    }

    @Test
    void whenEveryHandlerOfATypeSupportsAResetThenWhetherAnEventIsReplayedIsNotAsked() throws Exception {
        NumberReadModel replayable = new NumberReadModel();
        HandlersByType handlers = new HandlersByType(new MultiEventHandlerInvoker(
                SimpleEventHandlerInvoker.builder().eventHandlers(replayable).build(),
                SimpleEventHandlerInvoker.builder().eventHandlers(new TextReadModel()).build(),
                SimpleEventHandlerInvoker.builder().eventHandlers(new OnlyLiveReadModel()).build()));
        TrackingToken replaying = ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(10),
                new GlobalSequenceTrackingToken(1));
        AskedToken number = new AskedToken(replaying, event(7L));
        AskedToken text = new AskedToken(replaying, event("seven"));

        assertThat(handlers.canHandle(number, Segment.ROOT_SEGMENT)).isTrue();
        handlers.handle(number, Segment.ROOT_SEGMENT);
        assertThat(handlers.canHandle(text, Segment.ROOT_SEGMENT)).isTrue();
        handlers.handle(text, Segment.ROOT_SEGMENT);

        assertThat(replayable.seen).containsExactly(-7L);
        assertThat(number.asked).as("Long: only a read model that supports a reset takes it").isZero();
        assertThat(text.asked).as("String: taken by a read model that supports a reset").isZero();
        AskedToken integer = new AskedToken(replaying, event(8));
        handlers.handle(integer, Segment.ROOT_SEGMENT);
        assertThat(integer.asked).as("Integer: one of its read models does not support a reset").isPositive();
        assertThat(replayable.seen).containsExactly(-7L, 8);
    }

    /** A tracked event that counts how often its token is asked for. */
    private static final class AskedToken extends GenericTrackedEventMessage<Object> {
        int asked;

        @SuppressWarnings("unchecked")
        AskedToken(TrackingToken token, EventMessage<?> event) {
            super(token, (EventMessage<Object>) event);
        }

        @Override
        public TrackingToken trackingToken() {
            asked++;
            return super.trackingToken();
        }
    }

    private static EventMessage<?> event(Object payload) {
        return GenericEventMessage.asEventMessage(payload);
    }
}
