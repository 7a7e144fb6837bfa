package dev.baserdb.api.realtime;

import dev.baserdb.api.data.DataAccess;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.webhook.WebhookEventTypes;
import dev.baserdb.query.project.ProjectView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Realtime change streams of a project's rows as Server-Sent Events (docs/webhooks-and-realtime.md).
 * The caller is who the data API would see (anon, a project user, or an operator with the data
 * permission), and sees exactly the changes a read would show it.
 */
@RestController
@RequestMapping("/api/v1/realtime")
@Tag(name = "realtime")
class RealtimeController {

    private static final int MAX_TABLES = 50;

    private final DataAccess access;
    private final DataCatalog catalog;
    private final ChangeStreams streams;

    RealtimeController(DataAccess access, DataCatalog catalog, ChangeStreams streams) {
        this.access = access;
        this.catalog = catalog;
        this.streams = streams;
    }

    @Operation(operationId = "streamRowChanges",
            summary = "Row changes of the project as Server-Sent Events; id = global position; resume with Last-Event-ID or since")
    @ApiResponse(responseCode = "200", description = "Server-Sent Events: a ready event, then one event per row change (id: global position, event: row.inserted, row.updated, row.deleted or row.restored, data: the change as JSON), heartbeat comments, and a final dropped or shutdown event",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")))
    @GetMapping(path = "/{project}", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    SseEmitter streamRowChanges(@PathVariable String project,
                                @RequestParam(required = false) String tables,
                                @RequestParam(required = false) String events,
                                @RequestParam(required = false) String since,
                                @Parameter(in = ParameterIn.HEADER, name = "Last-Event-ID")
                                @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                HttpServletRequest request) {
        ProjectView found = access.project(project);
        DataCaller caller = access.callerOf(request, found, Permission.READ_DATA);
        Set<String> tableIds = new LinkedHashSet<>();
        for (String path : names(tables, "tables")) {
            DataTable table = catalog.table(found.id(), path).orElseThrow(() -> BaserDbException.notFound("Table " + path));
            tableIds.add(table.id());
        }
        if (tableIds.size() > MAX_TABLES) {
            throw BaserDbException.invalid("tables", "at most " + MAX_TABLES + " tables");
        }
        Set<String> wanted = new LinkedHashSet<>(names(events, "events"));
        if (wanted.isEmpty()) {
            wanted.addAll(WebhookEventTypes.ROW);
        }
        for (String event : wanted) {
            if (!WebhookEventTypes.ROW.contains(event)) {
                throw BaserDbException.invalid("events", "unknown event " + event + "; known: "
                        + String.join(", ", WebhookEventTypes.ROW));
            }
        }
        Long after = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            after = position("Last-Event-ID", lastEventId);
        } else if (since != null) {
            after = position("since", since);
        }
        return streams.open(new ChangeStreams.Subscription(found.id(), Set.copyOf(tableIds), Set.copyOf(wanted), caller, after));
    }

    private static Set<String> names(String list, String field) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
        if (names.size() > MAX_TABLES) {
            throw BaserDbException.invalid(field, "at most " + MAX_TABLES + " names");
        }
        return names;
    }

    private static long position(String field, String value) {
        try {
            long position = Long.parseLong(value.trim());
            if (position < -1) {
                throw new NumberFormatException();
            }
            return position;
        } catch (NumberFormatException e) {
            throw BaserDbException.invalid(field, "must be a global position (an event id of this stream)");
        }
    }
}
