package dev.baserdb.api.project;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.project.GroupCommands.CreateGroup;
import dev.baserdb.kernel.project.GroupEvents;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.project.ProjectCommands.CreateProject;
import dev.baserdb.kernel.project.ProjectCommands.DeleteProject;
import dev.baserdb.kernel.project.ProjectCommands.RenameProject;
import dev.baserdb.kernel.project.ProjectCommands.RotateServiceKey;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.organization.MemberView;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.query.platform.AggregateVersions;
import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Projects in organizations, and their service keys (API.md §5). */
@RestController
@RequestMapping(path = "/api/v1/projects", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "projects")
class ProjectController {

    static final String SERVICE_KEY_PREFIX = NewProjects.SERVICE_KEY_PREFIX;

    private final Commands commands;
    private final ProjectDirectory projects;
    private final OrganizationDirectory organizations;
    private final Authorization authorization;
    private final AggregateVersions versions;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;

    ProjectController(Commands commands, ProjectDirectory projects, OrganizationDirectory organizations,
                      Authorization authorization, AggregateVersions versions, ResourceHistory history,
                      HistoryResponses historyResponses) {
        this.commands = commands;
        this.projects = projects;
        this.organizations = organizations;
        this.authorization = authorization;
        this.versions = versions;
        this.history = history;
        this.historyResponses = historyResponses;
    }

    @Operation(operationId = "listProjects", summary = "Projects of one organization, or of every organization the caller belongs to")
    @Returns(value = ProjectResponses.Project.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal,
                                  @RequestParam(name = "organization_id", required = false) String organizationId,
                                  @RequestParam(name = "as_of", required = false) String asOf,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) Integer offset) {
        Instant at = Responses.asOf(asOf);
        PageRequest page = Responses.pageRequest(limit, offset);
        if (principal.kind() == Principal.Kind.SERVICE_KEY) {
            if (organizationId != null && !organizationId.equals(principal.organizationId())) {
                // Another organization's projects are not the key's to list, whether the organization exists or not.
                throw BaserDbException.notFound("Organization");
            }
            List<ProjectView> own = projects.find(principal.projectId(), at)
                    .filter(p -> organizationId == null || p.organizationId().equals(organizationId))
                    .stream().toList();
            return Responses.page(new Page<>(own, page.limit(), page.offset(), own.size()), at,
                    ProjectResponses.Project::of);
        }
        List<String> scope;
        if (organizationId != null) {
            authorization.require(principal, organizationId, Permission.READ_ORGANIZATION);
            scope = List.of(organizationId);
        } else {
            scope = organizations.membershipsOf(principal.userId()).stream().map(MemberView::organizationId)
                    .filter(org -> principal.organizationId() == null || principal.organizationId().equals(org))
                    .toList();
        }
        return Responses.page(projects.projectsIn(scope, at, page), at, ProjectResponses.Project::of);
    }

    @Operation(operationId = "createProject", summary = "Create a project (with its public group); the service key is shown only here")
    @Returns(value = ProjectResponses.ProjectWithKey.class, status = 201)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> create(Principal principal, @Valid @RequestBody ProjectRequests.CreateProject request) {
        authorization.require(principal, request.organizationId(), Permission.WRITE_PROJECTS);
        if (organizations.find(request.organizationId(), null).map(o -> o.archived()).orElse(true)) {
            throw BaserDbException.conflict("The organization is archived");
        }
        String slug = request.slug() != null ? request.slug() : slugOf(request.name());
        if (projects.slugTaken(request.organizationId(), slug)) {
            throw BaserDbException.conflict("The slug " + slug + " is taken in this organization");
        }
        ProjectId id = ProjectId.generate();
        OrganizationId organization = new OrganizationId(request.organizationId());
        String serviceKey = NewProjects.serviceKey();
        commands.inOneTransaction(() -> {
            commands.send(new CreateProject(id, organization, request.name().trim(), slug,
                    Secrets.sha256(serviceKey)));
            return commands.send(new CreateGroup(GroupId.generate(), id, organization, GroupEvents.PUBLIC));
        });
        ProjectView created = projects.find(id.value(), null).orElseThrow();
        return Responses.created(versions.current(id.value()), ProjectResponses.ProjectWithKey.of(created, serviceKey));
    }

    @Operation(operationId = "getProject", summary = "Read a project, now or as of an instant")
    @Returns(value = ProjectResponses.Project.class, conditional = true)
    @GetMapping("/{id}")
    ResponseEntity<Envelope> get(Principal principal, @PathVariable String id,
                                 @RequestParam(name = "as_of", required = false) String asOf,
                                 HttpServletRequest request) {
        Instant at = Responses.asOf(asOf);
        // The version before the view: a write committing in between then gives a stale ETag (a later
        // If-Match is 412), never a body older than its ETag (a stale body under a current ETag would
        // let an If-Match update overwrite what it never saw).
        long current = at == null ? versions.current(id) : -1;
        // As of an instant a project deleted since is still readable by its organization's members.
        ProjectView authority = at == null ? visible(id) : visibleNowOrBefore(id);
        authorization.requireProject(principal, authority, Permission.READ_ORGANIZATION);
        ProjectView project = at == null ? authority
                : projects.find(id, at).orElseThrow(() -> BaserDbException.notFound("Project"));
        long version = at == null ? current : project.version();
        return Responses.resource(request, version, at, ProjectResponses.Project.of(project));
    }

    @Operation(operationId = "renameProject", summary = "Rename a project")
    @Returns(value = ProjectResponses.Project.class)
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> rename(Principal principal, @PathVariable String id,
                                    @Valid @RequestBody ProjectRequests.RenameProject body, HttpServletRequest request) {
        authorization.requireProject(principal, visible(id), Permission.WRITE_PROJECTS);
        Long expected = Responses.ifMatch(request, versions.current(id));
        commands.send(new RenameProject(new ProjectId(id), body.name().trim(), expected));
        ProjectView renamed = visible(id);
        return ResponseEntity.ok().eTag(Responses.etag(versions.current(id)))
                .body(Envelope.success(ProjectResponses.Project.of(renamed)));
    }

    @Operation(operationId = "deleteProject", summary = "Delete a project (its events remain)")
    @Returns(value = ProjectResponses.Project.class)
    @DeleteMapping("/{id}")
    ResponseEntity<Envelope> delete(Principal principal, @PathVariable String id, HttpServletRequest request) {
        ProjectView project = visible(id);
        authorization.requireProject(principal, project, Permission.DELETE_PROJECTS);
        Long expected = Responses.ifMatch(request, versions.current(id));
        commands.send(new DeleteProject(new ProjectId(id), expected));
        return Envelope.ok(ProjectResponses.Project.of(project));
    }

    @Operation(operationId = "rotateServiceKey", summary = "Replace the service key; the old one stops working at once")
    @Returns(value = ProjectResponses.ProjectWithKey.class)
    @PostMapping("/{id}/rotate-service-key")
    ResponseEntity<Envelope> rotate(Principal principal, @PathVariable String id) {
        authorization.requireProject(principal, visible(id), Permission.DELETE_PROJECTS);
        String serviceKey = NewProjects.serviceKey();
        commands.send(new RotateServiceKey(new ProjectId(id), Secrets.sha256(serviceKey)));
        return Envelope.ok(ProjectResponses.ProjectWithKey.of(visible(id), serviceKey));
    }

    @Operation(operationId = "getProjectHistory", summary = "The project's events, with actor and request id")
    @Returns(value = HistoryResponses.Entry.class, list = true)
    @GetMapping("/{id}/history")
    ResponseEntity<Envelope> history(Principal principal, @PathVariable String id) {
        ProjectView project = visibleNowOrBefore(id);
        authorization.requireProject(principal, project, Permission.READ_AUDIT);
        return historyResponses.of(history.of(id));
    }

    private ProjectView visible(String id) {
        return projects.find(id, null).orElseThrow(() -> BaserDbException.notFound("Project"));
    }

    /** A deleted project's history stays readable: it is found through its last version. */
    private ProjectView visibleNowOrBefore(String id) {
        return projects.find(id, null).or(() -> projects.lastVersion(id))
                .orElseThrow(() -> BaserDbException.notFound("Project"));
    }

    static String slugOf(String name) {
        return NewProjects.slugOf(name);
    }
}
