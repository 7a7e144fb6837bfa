package dev.baserdb.api.site;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.api.storage.ProjectAccess;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import dev.baserdb.kernel.site.DeployCommands.RollBackToDeploy;
import dev.baserdb.kernel.site.SiteCommands.ChangeLiveDeploy;
import dev.baserdb.kernel.site.SiteCommands.CreateSite;
import dev.baserdb.kernel.site.SiteCommands.DeleteSite;
import dev.baserdb.query.history.HistoryEntry;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.platform.AggregateVersions;
import dev.baserdb.query.project.ProjectView;
import dev.baserdb.query.site.DeployView;
import dev.baserdb.query.site.SiteDirectory;
import dev.baserdb.query.site.SiteView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A project's site (API.md §12): create (one per project; a subdomain is the platform's once),
 * list, read as of an instant (which deploy was live then), delete, roll back to an earlier deploy,
 * and the history of every upload, publish and rollback with its actor. Changing a site needs the
 * right to change the project; deleting it, the right to delete its schema.
 */
@RestController
@RequestMapping(path = "/api/v1/projects/{projectId}/sites", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sites")
class SiteController {

    private final Commands commands;
    private final SiteDirectory sites;
    private final ProjectSites projectSites;
    private final ProjectAccess projects;
    private final AggregateVersions versions;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;
    private final String publicUrl;

    SiteController(Commands commands, SiteDirectory sites, ProjectSites projectSites, ProjectAccess projects,
                   AggregateVersions versions, ResourceHistory history, HistoryResponses historyResponses,
                   BaserDbProperties properties) {
        this.commands = commands;
        this.sites = sites;
        this.projectSites = projectSites;
        this.projects = projects;
        this.versions = versions;
        this.history = history;
        this.historyResponses = historyResponses;
        this.publicUrl = properties.publicUrl().replaceAll("/+$", "");
    }

    @Operation(operationId = "createSite", summary = "Create the project's site (one per project) at a subdomain")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> createSite(Principal principal, @PathVariable String projectId,
                                        @Valid @RequestBody SiteRequests.NewSite body) {
        ProjectView project = projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        if (!sites.sitesOf(projectId, null).isEmpty()) {
            throw BaserDbException.conflict("The project already has a site");
        }
        if (sites.findBySubdomain(body.subdomain()).isPresent()) {
            throw BaserDbException.conflict("The subdomain " + body.subdomain() + " is taken");
        }
        SiteId id = SiteId.generate();
        commands.send(new CreateSite(id, new ProjectId(project.id()), new OrganizationId(project.organizationId()),
                body.subdomain(), Boolean.TRUE.equals(body.spaMode())));
        return Responses.created(versions.current(id.value()), body(projectSites.current(projectId, id.value())));
    }

    @Operation(operationId = "listSites", summary = "The project's site (a list of at most one), now or as of an instant")
    @GetMapping
    ResponseEntity<Envelope> listSites(Principal principal, @PathVariable String projectId,
                                       @RequestParam(name = "as_of", required = false) String asOf) {
        Instant at = Responses.asOf(asOf);
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        ResponseEntity<Envelope> list = Envelope.list(sites.sitesOf(projectId, at).stream().map(this::body).toList());
        if (at != null && list.getBody() != null) {
            list.getBody().meta().put("as_of", at);
        }
        return list;
    }

    @Operation(operationId = "getSite", summary = "Read the site; with as_of, which deploy was live at that instant")
    @GetMapping("/{siteId}")
    ResponseEntity<Envelope> getSite(Principal principal, @PathVariable String projectId, @PathVariable String siteId,
                                     @RequestParam(name = "as_of", required = false) String asOf,
                                     HttpServletRequest request) {
        Instant at = Responses.asOf(asOf);
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        // The version before the view: a write committing in between then gives a stale ETag (a later
        // If-Match is 412), never a body older than its ETag (a stale body under a current ETag would
        // let an If-Match update overwrite what it never saw).
        long current = at == null ? versions.current(siteId) : -1;
        SiteView site = projectSites.asOf(projectId, siteId, at);
        long version = at == null ? current : site.version();
        return Responses.resource(request, version, at, body(site));
    }

    @Operation(operationId = "deleteSite", summary = "Delete the site: nothing is served any more; its history stays")
    @DeleteMapping("/{siteId}")
    ResponseEntity<Envelope> deleteSite(Principal principal, @PathVariable String projectId, @PathVariable String siteId,
                                        HttpServletRequest request) {
        projects.require(principal, projectId, Permission.DELETE_SCHEMA);
        SiteView site = projectSites.current(projectId, siteId);
        Long expected = Responses.ifMatch(request, versions.current(siteId));
        commands.send(new DeleteSite(new SiteId(siteId), expected));
        return Envelope.ok(body(site));
    }

    @Operation(operationId = "rollbackSite", summary = "Make an earlier deploy (one that was live before) live again, as a new event")
    @PostMapping(path = "/{siteId}/rollback", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> rollbackSite(Principal principal, @PathVariable String projectId,
                                          @PathVariable String siteId,
                                          @Valid @RequestBody SiteRequests.RollbackTarget body) {
        projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        projectSites.current(projectId, siteId);
        DeployView deploy = sites.findDeploy(body.deployId(), null).filter(d -> d.siteId().equals(siteId))
                .orElseThrow(() -> BaserDbException.invalid("deploy_id", "is not a deploy of this site"));
        commands.inOneTransaction(() -> {
            commands.send(new RollBackToDeploy(new DeployId(deploy.id())));
            return commands.send(new ChangeLiveDeploy(new SiteId(siteId), new DeployId(deploy.id()), true));
        });
        return Envelope.ok(body(projectSites.current(projectId, siteId)));
    }

    @Operation(operationId = "siteHistory", summary = "Every event of the site and its deploys (uploads, publishes, rollbacks) with its actor")
    @GetMapping("/{siteId}/history")
    ResponseEntity<Envelope> siteHistory(Principal principal, @PathVariable String projectId,
                                         @PathVariable String siteId) {
        projects.require(principal, projectId, Permission.READ_AUDIT);
        projectSites.requireKnown(projectId, siteId);
        // Oldest first. A publish or a rollback changes the deploy, then the site, in one transaction,
        // and events keep their time to the millisecond: at one instant a deploy's event comes first
        // (the deploys' events are listed before the site's, and the sort keeps that order on a tie).
        List<HistoryEntry> entries = new ArrayList<>();
        for (String deployId : sites.deployIdsOf(siteId)) {
            entries.addAll(history.of(deployId));
        }
        entries.addAll(history.of(siteId));
        entries.sort(Comparator.comparing(HistoryEntry::occurredAt));
        return historyResponses.of(entries);
    }

    private SiteResponses.SiteBody body(SiteView view) {
        return SiteResponses.SiteBody.of(view, publicUrl);
    }
}
