package dev.baserdb.api.backup;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** Request bodies of the backup routes (read as JSON trees by the handlers), as the OpenAPI document shows them. */
final class BackupSchemas {

    private BackupSchemas() {
    }

    @Schema(description = "A backup of a project, now or of its state at as_of")
    record NewBackupRun(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String projectId, Instant asOf) {
    }

    @Schema(description = "Restore a run into a new project of the same organization")
    record BackupRestoreTarget(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "new_project")
                               String target,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name) {
    }

    @Schema(description = "The instant the project returns to")
    record RestorePoint(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant asOf) {
    }

    @Schema(description = "A standard 5-field cron in UTC (null removes the schedule) and how many runs to keep")
    record BackupScheduleChange(@Schema(example = "0 3 * * *") String cron,
                                @Schema(minimum = "1") Integer retentionCount) {
    }
}
