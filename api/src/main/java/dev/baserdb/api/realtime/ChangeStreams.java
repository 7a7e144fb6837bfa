package dev.baserdb.api.realtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.web.EventStreams;
import dev.baserdb.api.platform.web.StreamSlots;
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.data.RowEvents;
import dev.baserdb.kernel.webhook.WebhookEventTypes;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Realtime change streams: each open stream reads the event store through Axon's streaming API
 * (from the head, or from just after the position a reconnecting client names, so a replay and the
 * live tail are one ordered sequence with nothing missed or doubled), keeps the row events of its
 * project, tables and event names, asks {@link RowVisibility} what the caller may see, and writes
 * them as Server-Sent Events whose {@code id} is the event's global position. Streams that are
 * caught up share the event store's reader; one thread per stream writes, blocking when its client
 * reads slowly, so nothing buffers without bound: the event store is the buffer, and a live stream
 * that falls more than {@code maxLag} events behind is ended with a final {@code dropped} event.
 * Streams per project and node are bounded ({@code maxStreams}, 429 beyond). On shutdown every
 * stream ends with a {@code shutdown} event, before the web server's graceful stop.
 */
@Component
class ChangeStreams extends EventStreams {

    private static final Logger log = LoggerFactory.getLogger(ChangeStreams.class);
    private static final int BATCH = 500;
    private static final long HEAD_CHECK_MILLIS = 1000;

    /** What a client asked for, already checked. */
    record Subscription(String projectId, Set<String> tableIds, Set<String> events, DataCaller caller, Long after) {
    }

    private final EventStore eventStore;
    private final DataCatalog catalog;
    private final RowVisibility visibility;
    private final RealtimeProperties settings;
    private final StreamSlots slots;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "realtime-stream");
        thread.setDaemon(true);
        return thread;
    });

    ChangeStreams(EventStore eventStore, DataCatalog catalog, RowVisibility visibility, RealtimeProperties settings) {
        this.eventStore = eventStore;
        this.catalog = catalog;
        this.visibility = visibility;
        this.settings = settings;
        this.slots = new StreamSlots(settings.maxStreams());
    }

    /** Opens a stream (or refuses with 429 when the project has its maximum open). */
    SseEmitter open(Subscription subscription) {
        StreamSlots.Slot slot = slots.take(subscription.projectId(), "This project has " + slots.limit()
                + " realtime streams open on this node; close one or retry later");
        try {
            TrackingToken start = subscription.after() == null ? eventStore.createHeadToken()
                    : tokenAfter(subscription.after());
            SseEmitter emitter = new SseEmitter(0L);
            Stream stream = new Stream(subscription, emitter, start, slot);
            open.add(stream);
            emitter.onCompletion(stream::close);
            emitter.onTimeout(stream::close);
            emitter.onError(error -> stream.close());
            long position = start == null ? -1 : start.position().orElse(-1);
            emitter.send(SseEmitter.event().name("ready").data("{\"after\":" + position + "}", MediaType.APPLICATION_JSON));
            threads.execute(stream);
            return emitter;
        } catch (IOException | RuntimeException e) {
            slot.release();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    /** The token just after global position {@code position}, in the kind the event store hands out. */
    private TrackingToken tokenAfter(long position) {
        TrackingToken head = eventStore.createHeadToken();
        if (head == null || head instanceof GapAwareTrackingToken) {
            return GapAwareTrackingToken.newInstance(position, List.of());
        }
        return new GlobalSequenceTrackingToken(position);
    }

    /** One client's stream, run on its own thread. */
    private final class Stream implements Runnable {

        private final Subscription subscription;
        private final SseEmitter emitter;
        private final TrackingToken start;
        private final StreamSlots.Slot slot;
        private volatile boolean closed;
        private boolean gone;
        private volatile BlockingStream<TrackedEventMessage<?>> events;
        private long lastWrite = System.nanoTime();
        private long lastHeadCheck;
        private volatile long position;
        private boolean live;

        Stream(Subscription subscription, SseEmitter emitter, TrackingToken start, StreamSlots.Slot slot) {
            this.subscription = subscription;
            this.emitter = emitter;
            this.start = start;
            this.slot = slot;
            this.position = start == null ? -1 : start.position().orElse(-1);
            this.live = subscription.after() == null;
        }

        @Override
        public void run() {
            try (BlockingStream<TrackedEventMessage<?>> source = eventStore.openStream(start)) {
                events = source;
                long heartbeat = settings.heartbeat().toMillis();
                while (!closed && isRunning()) {
                    if (!source.hasNextAvailable((int) Math.min(heartbeat, Integer.MAX_VALUE), TimeUnit.MILLISECONDS)) {
                        live = true;
                        heartbeat();
                        continue;
                    }
                    List<TrackedEventMessage<?>> batch = new ArrayList<>();
                    while (batch.size() < BATCH && source.hasNextAvailable()) {
                        batch.add(source.nextAvailable());
                    }
                    deliver(batch);
                    if (!source.hasNextAvailable()) {
                        live = true;
                    }
                    if (System.nanoTime() - lastWrite >= TimeUnit.MILLISECONDS.toNanos(heartbeat)) {
                        heartbeat();
                    }
                    if (live && tooFarBehind()) {
                        finish("dropped", "{\"reason\":\"slow_consumer\",\"last_event_id\":" + position
                                + ",\"message\":\"This stream fell more than " + settings.maxLag()
                                + " events behind; reconnect with Last-Event-ID to resume\"}");
                        return;
                    }
                }
                if (!closed) {
                    emitter.send(shutdown(position));
                    closed = true;
                }
            } catch (IOException | IllegalStateException disconnected) {
                // the client went away (or the emitter completed): nothing to tell anyone, nothing to complete
                gone = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closed && isRunning()) {
                    log.warn("Realtime stream of project {} failed", subscription.projectId(), e);
                    try {
                        finish("error", "{\"reason\":\"internal_error\",\"last_event_id\":" + position + "}");
                    } catch (IOException | IllegalStateException ignored) {
                        // already gone
                    }
                }
            } finally {
                close();
                if (!gone) {
                    emitter.complete();
                }
            }
        }

        private void deliver(List<TrackedEventMessage<?>> batch) throws IOException {
            Map<String, Map<String, UUID>> rowsByTable = new LinkedHashMap<>();
            List<Change> changes = new ArrayList<>();
            for (TrackedEventMessage<?> message : batch) {
                long at = message.trackingToken().position().orElse(position);
                position = Math.max(position, at);
                if (!RowEvents.class.isAssignableFrom(message.getPayloadType())) {
                    continue;
                }
                String name = WebhookEventTypes.of(message.getPayloadType()).orElse(null);
                if (name == null || !subscription.events().contains(name)) {
                    continue;
                }
                RowEvents row = (RowEvents) message.getPayload();
                if (!row.projectId().value().equals(subscription.projectId())
                        || (!subscription.tableIds().isEmpty() && !subscription.tableIds().contains(row.tableId().value()))) {
                    continue;
                }
                changes.add(new Change(at, name, message, row));
                rowsByTable.computeIfAbsent(row.tableId().value(), id -> new LinkedHashMap<>())
                        .put(message.getIdentifier(), UUID.fromString(row.rowId()));
            }
            if (changes.isEmpty()) {
                return;
            }
            Map<String, DataTable> tables = new LinkedHashMap<>();
            Map<String, ObjectNode> visible = new java.util.HashMap<>();
            rowsByTable.forEach((tableId, rows) -> catalog.table(tableId).ifPresent(table -> {
                tables.put(tableId, table);
                visible.putAll(visibility.visible(table, rows, subscription.caller()));
            }));
            // One write and one flush for the whole batch: a client far behind gets hundreds of events per flush.
            Set<ResponseBodyEmitter.DataWithMediaType> out = new LinkedHashSet<>();
            for (Change change : changes) {
                ObjectNode version = visible.get(change.message().getIdentifier());
                DataTable table = tables.get(change.row().tableId().value());
                if (version == null || table == null) {
                    continue;
                }
                ObjectNode data = JsonNodeFactory.instance.objectNode();
                data.put("event", change.name());
                data.put("event_id", change.message().getIdentifier());
                data.put("position", change.position());
                data.put("occurred_at", change.message().getTimestamp().toString());
                data.put("project_id", subscription.projectId());
                data.put("table", table.name());
                data.put("table_id", table.id());
                data.put("row_id", change.row().rowId());
                data.set("data", version);
                out.addAll(SseEmitter.event().id(Long.toString(change.position())).name(change.name())
                        .data(data.toString(), MediaType.APPLICATION_JSON).build());
            }
            if (!out.isEmpty()) {
                emitter.send(out);
                lastWrite = System.nanoTime();
            }
        }

        private boolean tooFarBehind() {
            long now = System.nanoTime();
            if (now - lastHeadCheck < TimeUnit.MILLISECONDS.toNanos(HEAD_CHECK_MILLIS)) {
                return false;
            }
            lastHeadCheck = now;
            TrackingToken head = eventStore.createHeadToken();
            long headPosition = head == null ? -1 : head.position().orElse(-1);
            return headPosition - position > settings.maxLag();
        }

        private void heartbeat() throws IOException {
            emitter.send(EventStreams.heartbeat());
            lastWrite = System.nanoTime();
        }

        private void finish(String event, String json) throws IOException {
            emitter.send(SseEmitter.event().name(event).data(json, MediaType.APPLICATION_JSON));
            closed = true;
        }

        void close() {
            closed = true;
            open.remove(this);
            slot.release();
        }
    }

    private record Change(long position, String name, TrackedEventMessage<?> message, RowEvents row) {
    }

    /** Ends every stream with a {@code shutdown} event, so clients reconnect elsewhere. */
    @Override
    public void stop() {
        super.stop();
        for (Stream stream : List.copyOf(open)) {
            stream.closed = true;
            try {
                stream.emitter.send(shutdown(stream.position));
            } catch (IOException | RuntimeException ignored) {
                // the client is already gone
            }
            stream.emitter.complete();
            stream.close();
            BlockingStream<TrackedEventMessage<?>> source = stream.events;
            if (source != null) {
                source.close();
            }
        }
        threads.shutdownNow();
    }
}
