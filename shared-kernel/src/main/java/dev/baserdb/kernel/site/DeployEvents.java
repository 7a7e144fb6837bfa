package dev.baserdb.kernel.site;

import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * Events of the {@code Deploy} aggregate: its files (by SHA-256), staging, and each time it was
 * made live ({@code deploy.published}, {@code deploy.rolled_back}, the webhook events of API.md §13).
 * Which deploy a publish replaced is the site's record ({@code SiteLiveDeployChanged}).
 */
public sealed interface DeployEvents {

    DeployId deployId();

    SiteId siteId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record DeployUploaded(DeployId deployId, SiteId siteId, ProjectId projectId, OrganizationId organizationId,
                          String label, List<DeployFile> files, long sizeBytes) implements DeployEvents {
    }

    @Revision("1")
    record DeployOpened(DeployId deployId, SiteId siteId, ProjectId projectId, OrganizationId organizationId,
                        String label) implements DeployEvents {
    }

    @Revision("1")
    record DeployFileAdded(DeployId deployId, SiteId siteId, ProjectId projectId, OrganizationId organizationId,
                           DeployFile file) implements DeployEvents {
    }

    @Revision("1")
    record DeployFileRemoved(DeployId deployId, SiteId siteId, ProjectId projectId, OrganizationId organizationId,
                             String path) implements DeployEvents {
    }

    @Revision("1")
    record DeployFinalized(DeployId deployId, SiteId siteId, ProjectId projectId, OrganizationId organizationId,
                           int files, long sizeBytes) implements DeployEvents {
    }

    @Revision("1")
    record DeployPublished(DeployId deployId, SiteId siteId, ProjectId projectId, OrganizationId organizationId)
            implements DeployEvents {
    }

    @Revision("1")
    record DeployRolledBack(DeployId deployId, SiteId siteId, ProjectId projectId, OrganizationId organizationId)
            implements DeployEvents {
    }
}
