package dev.baserdb.api.platform;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.query.platform.EventStoreStats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/healthz}: is the database reachable, and can the event store be read? The event
 * store is asked through Axon (its head), so the check holds for the JDBC store and Axon Server.
 */
@RestController
@Tag(name = "platform")
class HealthController {

    private final JdbcTemplate jdbc;
    private final EventStoreStats eventStoreStats;
    private final BuildVersion version;

    HealthController(DataSource dataSource, EventStoreStats eventStoreStats, BuildVersion version) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(3);
        this.jdbc.setMaxRows(1);
        this.eventStoreStats = eventStoreStats;
        this.version = version;
    }

    /** What the health answer holds (assembled as a map below), for the OpenAPI document. */
    record Health(@io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"ok", "unavailable"}) String status,
                  String version, String database, String eventStore) {
    }

    @Operation(operationId = "getHealth", summary = "Liveness and dependencies: 200 when healthy, 503 when the database is down")
    @Returns(value = Health.class)
    @GetMapping(path = "/api/healthz", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> health() {
        String database = check(() -> jdbc.query("SELECT 1", rs -> { }));
        String eventStore = "ok".equals(database) ? check(eventStoreStats::head) : "unknown";
        boolean healthy = "ok".equals(database) && "ok".equals(eventStore);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", healthy ? "ok" : "unavailable");
        status.put("version", version.value());
        status.put("database", database);
        status.put("event_store", eventStore);
        if (healthy) {
            return Envelope.ok(status);
        }
        Envelope failure = Envelope.failure(ErrorCode.SERVICE_UNAVAILABLE, "A dependency is unavailable",
                Map.of("database", database, "event_store", eventStore));
        return ResponseEntity.status(503).body(new Envelope(false, status, failure.meta(), failure.error()));
    }

    private static String check(Runnable probe) {
        try {
            probe.run();
            return "ok";
        } catch (RuntimeException e) {
            return "down";
        }
    }
}
