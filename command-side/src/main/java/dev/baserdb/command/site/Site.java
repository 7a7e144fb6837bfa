package dev.baserdb.command.site;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import dev.baserdb.kernel.site.SiteCommands.ChangeLiveDeploy;
import dev.baserdb.kernel.site.SiteCommands.CreateSite;
import dev.baserdb.kernel.site.SiteCommands.DeleteSite;
import dev.baserdb.kernel.site.SiteEvents.SiteCreated;
import dev.baserdb.kernel.site.SiteEvents.SiteDeleted;
import dev.baserdb.kernel.site.SiteEvents.SiteLiveDeployChanged;
import dev.baserdb.kernel.site.SitePaths;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A project's site and the one deploy that is live on it. Every publish and rollback passes
 * through here, one at a time, and records which deploy it replaced.
 */
@Aggregate
class Site {

    @AggregateIdentifier
    private SiteId siteId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private DeployId live;
    private boolean deleted;

    Site() {
        // for Axon
    }

    @CommandHandler
    Site(CreateSite command) {
        if (command.subdomain() == null || !SitePaths.SUBDOMAIN.matcher(command.subdomain()).matches()) {
            throw BaserDbException.invalid("subdomain", "must match " + SitePaths.SUBDOMAIN.pattern());
        }
        apply(new SiteCreated(command.siteId(), command.projectId(), command.organizationId(), command.subdomain(),
                command.spaMode()));
    }

    @CommandHandler
    void handle(DeleteSite command) {
        requireExists();
        apply(new SiteDeleted(siteId, projectId, organizationId));
    }

    @CommandHandler
    void handle(ChangeLiveDeploy command) {
        requireExists();
        if (Objects.equals(live, command.deployId())) {
            throw BaserDbException.conflict("This deploy is already live");
        }
        apply(new SiteLiveDeployChanged(siteId, projectId, organizationId, command.deployId(), live,
                command.rollback()));
    }

    private void requireExists() {
        if (deleted) {
            throw BaserDbException.notFound("Site");
        }
    }

    @EventSourcingHandler
    void on(SiteCreated event) {
        siteId = event.siteId();
        projectId = event.projectId();
        organizationId = event.organizationId();
    }

    @EventSourcingHandler
    void on(SiteLiveDeployChanged event) {
        live = event.deployId();
    }

    @EventSourcingHandler
    void on(SiteDeleted event) {
        deleted = true;
    }
}
