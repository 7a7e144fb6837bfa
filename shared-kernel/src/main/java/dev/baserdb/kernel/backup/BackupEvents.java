package dev.baserdb.kernel.backup;

import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Events of the {@code BackupRun} aggregate ({@code backup.*} in the audit trail). {@code projectId}
 * is always the backed-up project; a restore names the project it made in {@code restoredProjectId}.
 */
public sealed interface BackupEvents {

    BackupRunId runId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record BackupRunStarted(BackupRunId runId, ProjectId projectId, OrganizationId organizationId, long cutPosition,
                            Instant cutAt, boolean scheduled) implements BackupEvents {
    }

    @Revision("1")
    record BackupRunSucceeded(BackupRunId runId, ProjectId projectId, OrganizationId organizationId, long eventCount,
                              long sizeBytes, String sha256) implements BackupEvents {
    }

    @Revision("1")
    record BackupRunFailed(BackupRunId runId, ProjectId projectId, OrganizationId organizationId, String error)
            implements BackupEvents {
    }

    @Revision("1")
    record BackupDownloaded(BackupRunId runId, ProjectId projectId, OrganizationId organizationId)
            implements BackupEvents {
    }

    @Revision("1")
    record BackupRestoreStarted(BackupRunId runId, ProjectId projectId, OrganizationId organizationId,
                                ProjectId restoredProjectId, String name, String slug, String serviceKeyHash)
            implements BackupEvents {
    }

    @Revision("1")
    record BackupRestoreSucceeded(BackupRunId runId, ProjectId projectId, OrganizationId organizationId,
                                  ProjectId restoredProjectId, long eventCount) implements BackupEvents {
    }

    @Revision("1")
    record BackupRestoreFailed(BackupRunId runId, ProjectId projectId, OrganizationId organizationId,
                               ProjectId restoredProjectId, String error) implements BackupEvents {
    }

    @Revision("1")
    record BackupArchiveDeleted(BackupRunId runId, ProjectId projectId, OrganizationId organizationId)
            implements BackupEvents {
    }
}
