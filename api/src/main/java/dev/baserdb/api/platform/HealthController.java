package dev.baserdb.api.platform;

import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.ErrorCode;
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

/** {@code GET /api/healthz}: is the database reachable, and can the event store be read? */
@RestController
@Tag(name = "platform")
class HealthController {

    private final JdbcTemplate jdbc;
    private final BuildVersion version;

    HealthController(DataSource dataSource, BuildVersion version) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(3);
        this.version = version;
        this.jdbc.setMaxRows(1);
    }

    @Operation(summary = "Liveness and dependencies: 200 when healthy, 503 when the database is down")
    @GetMapping(path = "/api/healthz", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> health() {
        String database = check("SELECT 1");
        String eventStore = "ok".equals(database)
                ? check("SELECT globalIndex FROM domainevententry ORDER BY globalIndex DESC LIMIT 1")
                : "unknown";
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

    private String check(String sql) {
        try {
            jdbc.query(sql, rs -> { });
            return "ok";
        } catch (RuntimeException e) {
            return "down";
        }
    }
}
