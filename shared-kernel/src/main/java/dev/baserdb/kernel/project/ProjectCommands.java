package dev.baserdb.kernel.project;

import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

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
}
