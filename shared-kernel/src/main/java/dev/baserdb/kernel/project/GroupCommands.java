package dev.baserdb.kernel.project;

import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Commands of the {@code Group} aggregate: a named set of tables in a project (a PostgreSQL schema). */
public sealed interface GroupCommands {

    GroupId groupId();

    record CreateGroup(@TargetAggregateIdentifier GroupId groupId, ProjectId projectId, OrganizationId organizationId,
                       String name) implements GroupCommands {
    }

    record RenameGroup(@TargetAggregateIdentifier GroupId groupId, String name,
                       @TargetAggregateVersion Long expectedVersion) implements GroupCommands {
    }

    record DeleteGroup(@TargetAggregateIdentifier GroupId groupId,
                       @TargetAggregateVersion Long expectedVersion) implements GroupCommands {
    }
}
