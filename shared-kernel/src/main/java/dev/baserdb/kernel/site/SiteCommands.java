package dev.baserdb.kernel.site;

import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Commands of the {@code Site} aggregate (API.md §12): the site, and which deploy is live. */
public sealed interface SiteCommands {

    SiteId siteId();

    record CreateSite(@TargetAggregateIdentifier SiteId siteId, ProjectId projectId, OrganizationId organizationId,
                      String subdomain, boolean spaMode) implements SiteCommands {
    }

    record DeleteSite(@TargetAggregateIdentifier SiteId siteId, @TargetAggregateVersion Long expectedVersion)
            implements SiteCommands {
    }

    /**
     * Makes a deploy live: a publish, or a rollback to one that was live before. The site serialises
     * these, so two publishes at once cannot both believe they replaced the same deploy.
     */
    record ChangeLiveDeploy(@TargetAggregateIdentifier SiteId siteId, DeployId deployId, boolean rollback)
            implements SiteCommands {
    }
}
