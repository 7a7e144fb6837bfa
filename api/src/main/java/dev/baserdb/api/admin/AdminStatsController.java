package dev.baserdb.api.admin;

import dev.baserdb.api.platform.eventstore.ProjectionAdmin;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.platform.PlatformCounts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code GET /admin/stats} (API.md §14): platform counts, the event store's size, each read model's lag. */
@RestController
@Tag(name = "admin")
class AdminStatsController {

    private final PlatformCounts counts;
    private final ProjectionAdmin projections;

    AdminStatsController(PlatformCounts counts, ProjectionAdmin projections) {
        this.counts = counts;
        this.projections = projections;
    }

    record ProcessorLag(String name, String mode, long position, long head, long lag) {
    }

    record EventStoreStats(Long events, Long sizeBytes, long head) {
    }

    record PlatformStats(long users, long organizations, long projects, long tables, long rows, EventStoreStats eventStore,
                         List<ProcessorLag> processors) {
    }

    @Operation(operationId = "getPlatformStats", summary = "Counts, event store size and processor lag per read model")
    @GetMapping(path = "/api/v1/admin/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> getPlatformStats(Principal principal) {
        if (!principal.isPlatformAdmin() || principal.isImpersonated()) {
            throw BaserDbException.forbidden("Only platform admins see platform statistics");
        }
        PlatformCounts.Counts c = counts.counts();
        List<ProcessorLag> lags = projections.statuses().stream()
                .map(s -> new ProcessorLag(s.name(), s.mode(), s.position(), s.head(), s.lag()))
                .toList();
        long head = lags.stream().mapToLong(ProcessorLag::head).max().orElse(0);
        return Envelope.ok(new PlatformStats(c.users(), c.organizations(), c.projects(), c.tables(), c.rows(),
                new EventStoreStats(c.events(), c.eventStoreBytes(), head), lags));
    }
}
