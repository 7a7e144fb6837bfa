package dev.baserdb.kernel.project;

import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.serialization.Revision;

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
}
