package dev.baserdb.kernel.project;

import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Events of the {@code Project} aggregate. */
public sealed interface ProjectEvents {

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record ProjectCreated(ProjectId projectId, OrganizationId organizationId, String name, String slug,
                          String serviceKeyHash) implements ProjectEvents {
    }

    @Revision("1")
    record ProjectRenamed(ProjectId projectId, OrganizationId organizationId, String name, String previousName)
            implements ProjectEvents {
    }

    @Revision("1")
    record ProjectDeleted(ProjectId projectId, OrganizationId organizationId) implements ProjectEvents {
    }

    @Revision("1")
    record ProjectServiceKeyRotated(ProjectId projectId, OrganizationId organizationId, String serviceKeyHash)
            implements ProjectEvents {
    }

    /** The first event of a project made by restoring a backup run of {@code sourceProjectId}. */
    @Revision("1")
    record ProjectRestoredFromBackup(ProjectId projectId, OrganizationId organizationId, String name, String slug,
                                     String serviceKeyHash, String sourceRunId, ProjectId sourceProjectId)
            implements ProjectEvents {
    }

    /** The project returns to {@code asOf}: the compensating events that do it follow this one. */
    @Revision("1")
    record ProjectRestoredToInstant(ProjectId projectId, OrganizationId organizationId, Instant asOf)
            implements ProjectEvents {
    }

    @Revision("1")
    record ProjectBackupScheduleSet(ProjectId projectId, OrganizationId organizationId, String cron,
                                    Integer retentionCount) implements ProjectEvents {
    }
}
