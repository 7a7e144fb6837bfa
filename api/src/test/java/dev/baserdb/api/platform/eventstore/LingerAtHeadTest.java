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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** At the head of the stream a new event waits the linger for company; events already there never wait. */
class LingerAtHeadTest {

    private static final Duration LINGER = Duration.ofMillis(20);

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final LingerAtHead source = new LingerAtHead(store, LINGER, pauses::add);

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void anEventThatHadToBeWaitedForIsHandedOverAfterTheLinger_eventsAlreadyThereAtOnce() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null)) {
            assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).as("nothing stored yet").isFalse();
            assertThat(pauses).isEmpty();

            CompletableFuture<Boolean> waiting = new CompletableFuture<>();
            Thread processor = new Thread(() -> {
                try {
                    waiting.complete(stream.hasNextAvailable(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    waiting.completeExceptionally(e);
                }
            });
            processor.start();
            // the processor waits for an event before there is one
            await().atMost(Duration.ofSeconds(30)).until(() -> processor.getState() == Thread.State.TIMED_WAITING);
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
}
