package dev.baserdb.kernel.site;

import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import org.axonframework.serialization.Revision;

/**
 * Events of the {@code Site} aggregate. {@link SiteLiveDeployChanged} is the site's own record of
 * every publish and rollback, so "which deploy was live at 14:02, and who made it live" is one
 * read of the site's history.
 */
public sealed interface SiteEvents {

    SiteId siteId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record SiteCreated(SiteId siteId, ProjectId projectId, OrganizationId organizationId, String subdomain,
                       boolean spaMode) implements SiteEvents {
    }

    @Revision("1")
    record SiteDeleted(SiteId siteId, ProjectId projectId, OrganizationId organizationId) implements SiteEvents {
    }

    /** {@code previousDeployId} is null for the site's first publish. */
    @Revision("1")
    record SiteLiveDeployChanged(SiteId siteId, ProjectId projectId, OrganizationId organizationId,
                                 DeployId deployId, DeployId previousDeployId, boolean rollback) implements SiteEvents {
    }
}
