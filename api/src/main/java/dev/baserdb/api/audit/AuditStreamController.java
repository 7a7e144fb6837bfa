package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.EventStreams;
import dev.baserdb.api.platform.web.StreamSlots;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.audit.AuditFilter;
import dev.baserdb.query.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit trail as Server-Sent Events (docs/webhooks-and-realtime.md): every new entry of an
 * organization, for those who may read its audit (owners, admins, auditors, {@code audit:read}
 * tokens; platform admins may omit {@code organization_id}). The event id is the entry's place in
 * the hash chain ({@code sequence}); reconnecting with {@code Last-Event-ID} (or {@code since})
 * sends every entry after it, then new ones as the audit projection writes them.
 */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "audit")
class AuditStreamController extends EventStreams {

    private static final Logger log = LoggerFactory.getLogger(AuditStreamController.class);
    private static final int PAGE = 500;
    private static final Duration POLL = Duration.ofMillis(200);

    private final AuditLog audit;
    private final Authorization authorization;
    private final AuditResponses responses;
    private final ObjectMapper json;
    private final Duration heartbeat;
    private final StreamSlots slots;
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "audit-stream");
        thread.setDaemon(true);
        return thread;
    });

    AuditStreamController(AuditLog audit, Authorization authorization, AuditResponses responses, ObjectMapper json,
                          @Value("${baserdb.realtime.heartbeat:15s}") Duration heartbeat,
                          @Value("${baserdb.realtime.max-streams:256}") int maxStreams) {
        this.audit = audit;
        this.authorization = authorization;
        this.responses = responses;
        this.json = json;
        this.heartbeat = heartbeat;
        this.slots = new StreamSlots(maxStreams);
    }

    @Operation(operationId = "streamAuditEntries",
            summary = "New audit entries as Server-Sent Events; id = chain sequence; resume with Last-Event-ID or since")
    @ApiResponse(responseCode = "200", description = "Server-Sent Events: a ready event, then one audit.entry event per new entry (id: chain sequence, data: the entry as JSON), heartbeat comments, and a final shutdown event",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")))
    @GetMapping(path = "/stream", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    SseEmitter streamAuditEntries(Principal principal,
                                  @RequestParam(name = "organization_id", required = false) String organizationId,
                                  @RequestParam(required = false) String since,
                                  @Parameter(in = ParameterIn.HEADER, name = "Last-Event-ID")
                                  @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId)
            throws IOException {
        if (!principal.isPlatformAdmin()) {
            if (organizationId == null) {
                throw BaserDbException.invalid("organization_id", "is required unless you are a platform admin");
            }
            authorization.require(principal, organizationId, Permission.READ_AUDIT);
        }
        long after;
        if (lastEventId != null && !lastEventId.isBlank()) {
            after = sequence("Last-Event-ID", lastEventId);
        } else if (since != null) {
            after = sequence("since", since);
        } else {
            after = audit.lastSequence();
        }
        String key = organizationId == null ? "*" : organizationId;
        StreamSlots.Slot slot = slots.take(key, "Too many audit streams open for this organization");
        SseEmitter emitter = new SseEmitter(0L);
        open.add(emitter);
        AuditFilter filter = new AuditFilter(organizationId, null, null, null, null, null, null, null);
        try {
            emitter.send(SseEmitter.event().name("ready").data("{\"after\":" + after + "}", MediaType.APPLICATION_JSON));
            threads.execute(() -> {
                try {
                    follow(emitter, filter, after);
                } finally {
                    open.remove(emitter);
                    slot.release();
                }
            });
        } catch (IOException | RuntimeException e) {
            open.remove(emitter);
            slot.release();
            throw e;
        }
        return emitter;
    }

    private void follow(SseEmitter emitter, AuditFilter filter, long start) {
        long position = start;
        long lastWrite = System.nanoTime();
        try {
            while (isRunning()) {
                List<AuditEntry> page = audit.after(filter, position, PAGE);
                for (AuditEntry entry : page) {
                    emitter.send(SseEmitter.event().id(Long.toString(entry.sequence())).name("audit.entry")
                            .data(json.writeValueAsString(responses.entry(entry)), MediaType.APPLICATION_JSON));
                    position = entry.sequence();
                    lastWrite = System.nanoTime();
                }
                if (System.nanoTime() - lastWrite >= heartbeat.toNanos()) {
                    emitter.send(heartbeat());
                    lastWrite = System.nanoTime();
                }
                if (page.size() < PAGE) {
                    LockSupport.parkNanos(POLL.toNanos());
                }
            }
            emitter.send(shutdown(position));
            emitter.complete();
        } catch (IOException | IllegalStateException gone) {
            // the client went away
        } catch (RuntimeException e) {
            log.warn("Audit stream failed", e);
            emitter.complete();
        }
    }

    private static long sequence(String field, String value) {
        try {
            long sequence = Long.parseLong(value.trim());
            if (sequence < -1) {
                throw new NumberFormatException();
            }
            return sequence;
        } catch (NumberFormatException e) {
            throw BaserDbException.invalid(field, "must be an audit sequence (an event id of this stream)");
        }
    }

    @Override
    public void stop() {
        super.stop();
        for (SseEmitter emitter : List.copyOf(open)) {
            emitter.complete();
        }
        threads.shutdownNow();
    }
}
