package dev.baserdb.kernel.site;

import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Commands of the {@code Deploy} aggregate (API.md §12). Files travel as {@link DeployFile}s whose
 * bytes are already in the blob store; an archive was checked whole before any of them was stored.
 */
public sealed interface DeployCommands {

    DeployId deployId();

    /** A whole deploy from an archive: straight to staging. */
    record UploadDeploy(@TargetAggregateIdentifier DeployId deployId, SiteId siteId, ProjectId projectId,
                        OrganizationId organizationId, String label, List<DeployFile> files) implements DeployCommands {
    }

    /** A pending deploy that files are added to one by one. */
    record OpenDeploy(@TargetAggregateIdentifier DeployId deployId, SiteId siteId, ProjectId projectId,
                      OrganizationId organizationId, String label) implements DeployCommands {
    }

    record AddDeployFile(@TargetAggregateIdentifier DeployId deployId, DeployFile file) implements DeployCommands {
    }

    record RemoveDeployFile(@TargetAggregateIdentifier DeployId deployId, String path) implements DeployCommands {
    }

    record FinalizeDeploy(@TargetAggregateIdentifier DeployId deployId) implements DeployCommands {
    }

    record PublishDeploy(@TargetAggregateIdentifier DeployId deployId) implements DeployCommands {
    }

    record RollBackToDeploy(@TargetAggregateIdentifier DeployId deployId) implements DeployCommands {
    }
}
