package dev.baserdb.api.admin;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.eventstore.ProjectionAdmin;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Read models and their replay (API.md §14), for platform admins. */
@RestController
@RequestMapping(path = "/api/v1/admin/projections", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin")
class ProjectionController {

    private final ProjectionAdmin projections;

    ProjectionController(ProjectionAdmin projections) {
        this.projections = projections;
    }

    @Operation(operationId = "listProjections", summary = "Every read model: mode, position, head, lag, replaying, progress")
    @Returns(value = ProjectionAdmin.Status.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal) {
        requireAdmin(principal);
        return Envelope.list(projections.statuses());
    }

    @Operation(operationId = "replayProjection", summary = "Rebuild a read model from the event store while the API stays up (202)")
    @Returns(value = ProjectionAdmin.Status.class, status = 202)
    @PostMapping("/{name}/replay")
    ResponseEntity<Envelope> replay(Principal principal, @PathVariable String name) {
        requireAdmin(principal);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Envelope.success(projections.replay(name)));
    }

    private static void requireAdmin(Principal principal) {
        if (!principal.isPlatformAdmin()) {
            throw BaserDbException.forbidden("Only platform admins manage read models");
        }
    }
}
