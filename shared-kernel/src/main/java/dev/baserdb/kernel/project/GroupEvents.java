package dev.baserdb.kernel.project;

import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.serialization.Revision;

/** Events of the {@code Group} aggregate. */
public sealed interface GroupEvents {

    /** Every project has this group from the start; it can be neither renamed nor deleted. */
    String PUBLIC = "public";

    GroupId groupId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record GroupCreated(GroupId groupId, ProjectId projectId, OrganizationId organizationId, String name)
            implements GroupEvents {
    }

    @Revision("1")
    record GroupRenamed(GroupId groupId, ProjectId projectId, OrganizationId organizationId, String name,
                        String previousName) implements GroupEvents {
    }

    @Revision("1")
    record GroupDeleted(GroupId groupId, ProjectId projectId, OrganizationId organizationId) implements GroupEvents {
    }
}
