package dev.baserdb.api.platform.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At the head of the stream a new event waits the linger for company, and so do the events of a
 * trickle; events already there for a processor that catches up never wait. A wait for an event
 * ends once the processor is stopping.
 */
class LingerAtHeadTest {

    private static final Duration LINGER = Duration.ofMillis(20);

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final LingerAtHead source = new LingerAtHead(store, LINGER, pauses::add, clock::get, stopping::get);

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void anEventThatHadToBeWaitedForIsHandedOverAfterTheLinger_eventsAlreadyThereAtOnce() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null)) {
            assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).as("nothing stored yet").isFalse();
            assertThat(pauses).isEmpty();

            // the processor waits for an event before there is one
            CompletableFuture<Boolean> waiting = waitingForAnEvent(stream, Duration.ofSeconds(30));
            store.publish(GenericEventMessage.asEventMessage("first"));
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pauses).as("the first new event waited for company").containsExactly(LINGER);
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("first");

            store.publish(List.of(GenericEventMessage.asEventMessage("second"), GenericEventMessage.asEventMessage("third")));
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.peek().isPresent());
            assertThat(stream.hasNextAvailable(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pauses).as("events already there do not wait").hasSize(1);
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("second");
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("third");
        }
    }

    @Test
    void aTrickleStartsItsBatchesALingerApart_aProcessorThatFilledItsBatchDoesNotWait() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null)) {
            store.publish(GenericEventMessage.asEventMessage("a"));
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.peek().isPresent());
            assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
            assertThat(pauses).as("an event already there, no batch before it").isEmpty();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("a");
            // the processor looks for more to fill its batch: the stream is empty, the batch ends
            assertThat(stream.peek()).isEmpty();

            // while that batch was written (5 ms), the next event came
            store.publish(GenericEventMessage.asEventMessage("b"));
            assertThat(nextBatchStarts(stream, 5)).isTrue();
            assertThat(pauses).as("the rest of a linger after the last batch started").containsExactly(Duration.ofMillis(15));
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("b");

            // a full batch ends without finding the stream empty: the processor is catching up
            store.publish(List.of(GenericEventMessage.asEventMessage("c"), GenericEventMessage.asEventMessage("d")));
            assertThat(nextBatchStarts(stream, 1)).isTrue();
            assertThat(pauses).as("no wait after a full batch").hasSize(1);
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("c");

            // a batch of a trickle that took longer than the linger: the next one starts at once
            assertThat(stream.peek()).isPresent();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("d");
            assertThat(stream.peek()).isEmpty();
            store.publish(GenericEventMessage.asEventMessage("e"));
            assertThat(nextBatchStarts(stream, 30)).isTrue();
            assertThat(pauses).hasSize(1);
        }
    }

    /**
     * Whether the processor's next batch starts (its one call per batch), asked once the published
     * events reach the stream and the test clock has moved on by {@code millis}.
     */
    private boolean nextBatchStarts(BlockingStream<TrackedEventMessage<?>> stream, long millis)
            throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).until(stream::hasNextAvailable);
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        return stream.hasNextAvailable(1, TimeUnit.SECONDS);
    }

    @Test
    void aProcessorWaitingAtTheHeadWhenItIsToldToStop_thenItsWaitEndsWithoutAnEvent() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null)) {
            CompletableFuture<Boolean> waiting = waitingForAnEvent(stream, Duration.ofMinutes(10));
            assertThat(waiting).as("no event, still running: it waits").isNotDone();

            stopping.set(true);

            // within a slice (50 ms); the bound is only a loaded machine's, far below the ten minutes asked for
            assertThat(waiting.get(30, TimeUnit.SECONDS)).as("an event available").isFalse();
            assertThat(pauses).as("no batch was started").isEmpty();
        }
    }

    /** A processor's thread asking the stream for an event for up to {@code timeout}, once it waits; its answer. */
    private static CompletableFuture<Boolean> waitingForAnEvent(BlockingStream<TrackedEventMessage<?>> stream,
                                                                Duration timeout) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Thread processor = new Thread(() -> {
            try {
                answer.complete(stream.hasNextAvailable((int) timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                answer.completeExceptionally(e);
            }
        });
        processor.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.getState() == Thread.State.TIMED_WAITING);
        return answer;
    }
}
