package dev.baserdb.api.backup;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.openapi.Accepts;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.api.project.NewProjects;
import dev.baserdb.kernel.backup.BackupCommands.RecordBackupDownload;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.query.backup.BackupDirectory;
import dev.baserdb.query.backup.BackupRunView;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Backups and restore (API.md §9): runs, their archives, restores into a new project or in place,
 * and schedules. Runs, downloads and schedules need the backup permission, restores need the owner
 * (§4); a project of an organization the caller is not in answers 404.
 */
@RestController
@Tag(name = "backups")
class BackupController {

    private static final String GZIP = "application/gzip";

    private final Backups backups;
    private final BackupDirectory runs;
    private final ProjectDirectory projects;
    private final Authorization authorization;
    private final Commands commands;
    private final BackupArchives archives;
    private final PointInTimeRestore pointInTime;
    private final Clock clock;

    BackupController(Backups backups, BackupDirectory runs, ProjectDirectory projects, Authorization authorization,
                     Commands commands, BackupArchives archives, PointInTimeRestore pointInTime, Clock clock) {
        this.backups = backups;
        this.runs = runs;
        this.projects = projects;
        this.authorization = authorization;
        this.commands = commands;
        this.archives = archives;
        this.pointInTime = pointInTime;
        this.clock = clock;
    }

    @Operation(operationId = "listBackupRuns", summary = "A project's backup runs, newest first")
    @Returns(value = BackupResponses.Run.class, list = true)
    @GetMapping(path = "/api/v1/backups/runs", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> list(Principal principal, @RequestParam(name = "project_id") String projectId,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) Integer offset) {
        authorization.requireProject(principal, projectNowOrBefore(projectId), Permission.RUN_BACKUPS);
        return Responses.page(runs.runsOf(projectId, Responses.pageRequest(limit, offset)), null,
                BackupResponses.Run::of);
    }

    @Operation(operationId = "startBackupRun", summary = "Start a backup run {project_id, as_of?}: 202 with the run and its cut")
    @Returns(value = BackupResponses.Run.class, status = 202)
    @Accepts(BackupSchemas.NewBackupRun.class)
    @PostMapping(path = "/api/v1/backups/runs", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> start(Principal principal, @RequestBody JsonNode body) {
        requireObject(body);
        ProjectView project = project(text(body, "project_id", true));
        authorization.requireProject(principal, project, Permission.RUN_BACKUPS);
        Instant asOf = instant(body, "as_of", false);
        if (asOf != null) {
            requireWithinLife(project, asOf);
        }
        String runId = backups.startRun(project, asOf, false);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(Envelope.success(BackupResponses.Run.of(run(runId))));
    }

    @Operation(operationId = "getBackupRun", summary = "One run: status running|succeeded|failed, size, sha256, event count")
    @Returns(value = BackupResponses.Run.class)
    @GetMapping(path = "/api/v1/backups/runs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> get(Principal principal, @PathVariable String id) {
        BackupRunView run = run(id);
        authorization.requireProject(principal, projectNowOrBefore(run.projectId()), Permission.RUN_BACKUPS);
        return Envelope.ok(BackupResponses.Run.of(run));
    }

    @Operation(operationId = "downloadBackupArchive", summary = "The run's archive (application/gzip); every download is audited (backup.downloaded)")
    @ApiResponse(responseCode = "200", description = "The archive",
            content = @Content(mediaType = "application/gzip", schema = @Schema(type = "string", format = "binary")))
    @GetMapping(path = "/api/v1/backups/runs/{id}/download")
    ResponseEntity<Resource> download(Principal principal, @PathVariable String id) {
        BackupRunView run = run(id);
        authorization.requireProject(principal, projectNowOrBefore(run.projectId()), Permission.RUN_BACKUPS);
        Path archive = archives.of(run.projectId(), run.id());
        if (run.succeeded() && !Files.isRegularFile(archive)) {
            throw BaserDbException.notFound("Backup archive");
        }
        // the aggregate refuses a run without an archive (409) before anything is recorded
        commands.send(new RecordBackupDownload(new BackupRunId(run.id())));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(GZIP))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(run.id() + ".jsonl.gz").build().toString())
                .header("X-Backup-SHA256", run.sha256())
                .body(new FileSystemResource(archive));
    }

    @Operation(operationId = "restoreBackupRun", summary = "Restore the run into a new project {target:\"new_project\", name}: 202 {project_id, service_key}")
    @Returns(value = BackupResponses.RestoreStarted.class, status = 202)
    @Accepts(BackupSchemas.BackupRestoreTarget.class)
    @PostMapping(path = "/api/v1/backups/runs/{id}/restore", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> restore(Principal principal, @PathVariable String id, @RequestBody JsonNode body) {
        BackupRunView run = run(id);
        ProjectView source = projectNowOrBefore(run.projectId());
        authorization.requireProject(principal, source, Permission.RESTORE_BACKUPS);
        requireObject(body);
        String target = text(body, "target", true);
        if (!"new_project".equals(target)) {
            throw BaserDbException.invalid("target", "must be new_project");
        }
        String name = text(body, "name", true).trim();
        if (name.isEmpty() || name.length() > 200) {
            throw BaserDbException.invalid("name", "must be 1 to 200 characters");
        }
        String slug = NewProjects.slugOf(name);
        if (projects.slugTaken(source.organizationId(), slug)) {
            throw BaserDbException.conflict("The slug " + slug + " is taken in this organization");
        }
        ProjectId restored = ProjectId.generate();
        String serviceKey = NewProjects.serviceKey();
        backups.startRestore(run, restored, name, slug, Secrets.sha256(serviceKey));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(Envelope.success(new BackupResponses.RestoreStarted(run.id(), restored.value(), serviceKey)));
    }

    @Operation(operationId = "restoreProjectInPlace", summary = "Return the project in place to an instant {as_of} by compensating events")
    @Returns(value = BackupResponses.InPlaceRestore.class)
    @Accepts(BackupSchemas.RestorePoint.class)
    @PostMapping(path = "/api/v1/projects/{id}/restore", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> restoreInPlace(Principal principal, @PathVariable String id, @RequestBody JsonNode body) {
        ProjectView project = project(id);
        authorization.requireProject(principal, project, Permission.RESTORE_BACKUPS);
        requireObject(body);
        Instant asOf = instant(body, "as_of", true);
        requireWithinLife(project, asOf);
        return Envelope.ok(BackupResponses.InPlaceRestore.of(pointInTime.restore(id, asOf)));
    }

    @Operation(operationId = "getBackupSchedule", summary = "The project's backup schedule {cron, retention_count} (both null before one is set)")
    @Returns(value = BackupResponses.Schedule.class)
    @GetMapping(path = "/api/v1/projects/{id}/backup-schedule", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> schedule(Principal principal, @PathVariable String id) {
        authorization.requireProject(principal, project(id), Permission.RUN_BACKUPS);
        return Envelope.ok(runs.schedule(id)
                .map(s -> new BackupResponses.Schedule(s.cron(), s.retentionCount()))
                .orElse(new BackupResponses.Schedule(null, null)));
    }

    @Operation(operationId = "setBackupSchedule", summary = "Set the backup schedule {cron (5 fields, UTC), retention_count}; cron null removes it")
    @Returns(value = BackupResponses.Schedule.class)
    @Accepts(BackupSchemas.BackupScheduleChange.class)
    @PutMapping(path = "/api/v1/projects/{id}/backup-schedule", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> setSchedule(Principal principal, @PathVariable String id, @RequestBody JsonNode body) {
        ProjectView project = project(id);
        authorization.requireProject(principal, project, Permission.RUN_BACKUPS);
        requireObject(body);
        if (!body.has("cron")) {
            throw BaserDbException.invalid("cron", "is required (null removes the schedule)");
        }
        String cron = text(body, "cron", false);
        Integer retention = null;
        if (cron != null) {
            Backups.cronSchedule(cron);
            JsonNode count = body.path("retention_count");
            if (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1 || count.asInt() > 1000) {
                throw BaserDbException.invalid("retention_count", "must be a whole number from 1 to 1000");
            }
            retention = count.asInt();
            cron = cron.trim();
        }
        backups.setSchedule(project, cron, retention);
        return Envelope.ok(new BackupResponses.Schedule(cron, retention));
    }

    private BackupRunView run(String id) {
        return runs.find(id).orElseThrow(() -> BaserDbException.notFound("Backup run"));
    }

    private ProjectView project(String id) {
        return projects.find(id, null).orElseThrow(() -> BaserDbException.notFound("Project"));
    }

    /** A deleted project's runs stay readable to its organization (their events and archives remain). */
    private ProjectView projectNowOrBefore(String id) {
        return projects.find(id, null).or(() -> projects.lastVersion(id))
                .orElseThrow(() -> BaserDbException.notFound("Project"));
    }

    /** An instant to restore or cut at must lie in the project's life: not before it existed, not ahead. */
    private void requireWithinLife(ProjectView project, Instant at) {
        if (at.isAfter(clock.instant())) {
            throw BaserDbException.invalid("as_of", "must not be in the future");
        }
        if (at.isBefore(project.createdAt())) {
            throw BaserDbException.invalid("as_of", "is before the project existed (" + project.createdAt() + ")");
        }
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw BaserDbException.invalid("body", "must be a JSON object");
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw BaserDbException.invalid(field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw BaserDbException.invalid(field, "must be a string");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode body, String field, boolean required) {
        String value = text(body, field, required);
        if (value == null) {
            return null;
        }
        Instant at = Responses.asOf(value);
        if (at == null) {
            throw BaserDbException.invalid(field, "is required");
        }
        return at;
    }
}
