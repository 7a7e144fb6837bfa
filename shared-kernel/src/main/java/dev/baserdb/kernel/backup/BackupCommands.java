package dev.baserdb.kernel.backup;

import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Commands of the {@code BackupRun} aggregate: one backup of a project's events up to a cut, the
 * life of its archive, and the restores made from it.
 */
public sealed interface BackupCommands {

    BackupRunId runId();

    /**
     * Starts a run at a cut of the event stream: every event of the project at a global position up
     * to {@code cutPosition}, recorded no later than {@code cutAt}.
     */
    record StartBackupRun(@TargetAggregateIdentifier BackupRunId runId, ProjectId projectId,
                          OrganizationId organizationId, long cutPosition, Instant cutAt, boolean scheduled)
            implements BackupCommands {
    }

    record CompleteBackupRun(@TargetAggregateIdentifier BackupRunId runId, long eventCount, long sizeBytes,
                             String sha256) implements BackupCommands {
    }

    record FailBackupRun(@TargetAggregateIdentifier BackupRunId runId, String error) implements BackupCommands {
    }

    /** Records that someone downloaded the archive (a download is an audited read). */
    record RecordBackupDownload(@TargetAggregateIdentifier BackupRunId runId) implements BackupCommands {
    }

    /** Starts a restore of the archive into a new project (the key travels only as its SHA-256). */
    record StartRestore(@TargetAggregateIdentifier BackupRunId runId, ProjectId restoredProjectId, String name,
                        String slug, String serviceKeyHash) implements BackupCommands {
    }

    record CompleteRestore(@TargetAggregateIdentifier BackupRunId runId, ProjectId restoredProjectId,
                           long eventCount) implements BackupCommands {
    }

    record FailRestore(@TargetAggregateIdentifier BackupRunId runId, ProjectId restoredProjectId, String error)
            implements BackupCommands {
    }

    /** Retention: the archive file goes; the run's events stay. */
    record DeleteBackupArchive(@TargetAggregateIdentifier BackupRunId runId) implements BackupCommands {
    }
}
