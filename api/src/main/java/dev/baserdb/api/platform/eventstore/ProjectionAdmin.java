package dev.baserdb.api.platform.eventstore;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.platform.EventStoreStats;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every read model with where it stands against the event store, and replay: an inline read model
 * is rebuilt in the background from the event store (readers see the old tables until the new
 * ones are complete); an asynchronous one has its tokens reset and catches up again.
 */
@Component
public class ProjectionAdmin implements DisposableBean {

    /**
     * Where one read model stands. {@code lastError}: why it is stuck (an asynchronous read model's
     * processor in error) or why this node's last replay of it failed (an inline one, whose previous
     * tables then stay in place); null when nothing failed.
     */
    @Schema(name = "ProjectionStatus")
    public record Status(String name, String mode, long position, long head, long lag, boolean replaying,
                         double progress, @Schema(nullable = true) String lastError) {
    }

    /** Characters of an error message a status shows at most. */
    private static final int ERROR_LENGTH = 500;

    private static final Logger log = LoggerFactory.getLogger(ProjectionAdmin.class);

    private final EventProcessingConfiguration processing;
    private final InlineReadModelRebuilder rebuilder;
    private final EventStoreStats stats;
    private final ExecutorService replays = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "read-model-replay");
        thread.setDaemon(true);
        return thread;
    });
    /** Inline rebuilds under way: the global index reached so far, and the head they run to. */
    private final Map<String, long[]> rebuilding = new ConcurrentHashMap<>();
    /** Why the last inline rebuild of a read model failed, by name, until one succeeds. */
    private final Map<String, String> failed = new ConcurrentHashMap<>();

    ProjectionAdmin(EventProcessingConfiguration processing, InlineReadModelRebuilder rebuilder,
                    EventStoreStats stats) {
        this.processing = processing;
        this.rebuilder = rebuilder;
        this.stats = stats;
    }

    public List<Status> statuses() {
        long head = stats.head();
        return processing.eventProcessors().keySet().stream().sorted().map(name -> status(name, head)).toList();
    }

    public Status status(String name) {
        return status(processor(name).getName(), stats.head());
    }

    /**
     * Starts a replay; returns at once (the caller answers 202 and shows progress through {@link #status}).
     * An inline rebuild answers as started, also when a small one is over before the answer is made.
     */
    public Status replay(String name) {
        EventProcessor processor = processor(name);
        if (processor instanceof StreamingEventProcessor streaming) {
            streaming.shutDown();
            streaming.resetTokens();
            streaming.start();
        } else if (processor instanceof SubscribingEventProcessor) {
            long head = stats.head();
            long[] progress = {0, head};
            if (rebuilding.putIfAbsent(name, progress) != null) {
                throw BaserDbException.conflict("A replay of " + name + " is already running");
            }
            failed.remove(name);
            Status started = new Status(name, "inline", 0, head, head, true, percent(0, head), null);
            replays.submit(() -> {
                try {
                    AtomicLong events = new AtomicLong();
                    rebuilder.rebuild(name, position -> {
                        progress[0] = position;
                        events.incrementAndGet();
                    });
                    log.info("Rebuilt read model {} from {} events", name, events.get());
                } catch (RuntimeException e) {
                    failed.put(name, message(e));
                    log.error("Replay of read model {} failed; the previous tables stay in place", name, e);
                } finally {
                    rebuilding.remove(name);
                }
            });
            return started;
        }
        return status(name);
    }

    private Status status(String name, long head) {
        EventProcessor processor = processor(name);
        if (processor instanceof StreamingEventProcessor streaming) {
            Map<Integer, EventTrackerStatus> segments = streaming.processingStatus();
            long position = segments.values().stream()
                    .map(EventTrackerStatus::getCurrentPosition)
                    .mapToLong(p -> p.orElse(0))
                    .min().orElse(0);
            // Axon keeps a reset token in replay until it handles an event stored after the reset; in a
            // quiet system none comes and the replay would show as running forever. It is over once the
            // processor has caught up with the head of the stream.
            boolean replaying = segments.values().stream()
                    .anyMatch(segment -> segment.isReplaying() && !segment.isCaughtUp());
            String error = segments.values().stream().filter(EventTrackerStatus::isErrorState)
                    .map(segment -> message(segment.getError())).findFirst().orElse(null);
            return new Status(name, "async", position, head, Math.max(0, head - position), replaying,
                    percent(position, head), error);
        }
        long[] progress = rebuilding.get(name);
        if (progress != null) {
            return new Status(name, "inline", progress[0], head, Math.max(0, head - progress[0]), true,
                    percent(progress[0], progress[1]), null);
        }
        return new Status(name, "inline", head, head, 0, false, 100.0, failed.get(name));
    }

    /** The most specific message of a failure (its deepest cause's), on one line, shortened. */
    private static String message(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() > ERROR_LENGTH ? text.substring(0, ERROR_LENGTH) + "…" : text;
    }

    private EventProcessor processor(String name) {
        return processing.eventProcessor(name)
                .orElseThrow(() -> BaserDbException.notFound("Read model " + name));
    }

    private static double percent(long position, long head) {
        if (head <= 0) {
            return 100.0;
        }
        return Math.min(100.0, Math.round(position * 1000.0 / head) / 10.0);
    }

    @Override
    public void destroy() {
        replays.shutdownNow();
    }

}
