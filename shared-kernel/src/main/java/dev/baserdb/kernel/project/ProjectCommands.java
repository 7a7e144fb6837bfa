package dev.baserdb.kernel.project;

import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;

/**
 * Commands of the {@code Project} aggregate. Service keys travel only as SHA-256 hashes; the key
 * itself is shown once to the client.
 */
public sealed interface ProjectCommands {

    ProjectId projectId();

    record CreateProject(@TargetAggregateIdentifier ProjectId projectId, OrganizationId organizationId, String name,
                         String slug, String serviceKeyHash) implements ProjectCommands {
    }

    record RenameProject(@TargetAggregateIdentifier ProjectId projectId, String name,
                         @TargetAggregateVersion Long expectedVersion) implements ProjectCommands {
    }

    record DeleteProject(@TargetAggregateIdentifier ProjectId projectId,
                         @TargetAggregateVersion Long expectedVersion) implements ProjectCommands {
    }

    record RotateServiceKey(@TargetAggregateIdentifier ProjectId projectId, String serviceKeyHash)
            implements ProjectCommands {
    }

    /**
     * Creates a project as the restore of a backup run: its history starts with the restore, naming
     * the run it came from; the restored groups, tables and rows follow under new ids.
     */
    record RestoreProjectFromBackup(@TargetAggregateIdentifier ProjectId projectId, OrganizationId organizationId,
                                    String name, String slug, String serviceKeyHash, String sourceRunId,
                                    ProjectId sourceProjectId) implements ProjectCommands {
    }

    /** Marks the start of an in-place restore to an instant; compensating events of the project follow. */
    record RestoreProjectToInstant(@TargetAggregateIdentifier ProjectId projectId, Instant asOf)
            implements ProjectCommands {
    }

    /** Sets the backup schedule (a 5-field cron in UTC and how many runs to keep); a null cron removes it. */
    record SetBackupSchedule(@TargetAggregateIdentifier ProjectId projectId, String cron, Integer retentionCount)
            implements ProjectCommands {
    }
}
