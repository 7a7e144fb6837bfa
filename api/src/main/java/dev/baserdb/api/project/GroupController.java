package dev.baserdb.api.project;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.project.GroupCommands.CreateGroup;
import dev.baserdb.kernel.project.GroupCommands.DeleteGroup;
import dev.baserdb.kernel.project.GroupCommands.RenameGroup;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.query.data.TableDirectory;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.platform.AggregateVersions;
import dev.baserdb.query.project.GroupView;
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
import java.util.Set;

/** Groups of tables inside a project (API.md §5). Every project has the group {@code public}. */
@RestController
@RequestMapping(path = "/api/v1/groups", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "groups")
class GroupController {

    /** Names PostgreSQL keeps for itself or that would shadow system schemas. */
    private static final Set<String> RESERVED = Set.of("information_schema", "pg_catalog", "pg_toast");

    private final Commands commands;
    private final ProjectDirectory projects;
    private final Authorization authorization;
    private final AggregateVersions versions;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;
    private final TableDirectory tables;

    GroupController(Commands commands, ProjectDirectory projects, Authorization authorization,
                    AggregateVersions versions, ResourceHistory history, HistoryResponses historyResponses,
                    TableDirectory tables) {
        this.commands = commands;
        this.projects = projects;
        this.authorization = authorization;
        this.versions = versions;
        this.history = history;
        this.historyResponses = historyResponses;
        this.tables = tables;
    }

    @Operation(operationId = "listGroups", summary = "Groups of a project, now or as of an instant")
    @Returns(value = ProjectResponses.Group.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal, @RequestParam(name = "project_id") String projectId,
                                  @RequestParam(name = "as_of", required = false) String asOf,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) Integer offset) {
        authorization.requireProject(principal, project(projectId), Permission.READ_ORGANIZATION);
        Instant at = Responses.asOf(asOf);
        return Responses.page(projects.groupsOf(projectId, at, Responses.pageRequest(limit, offset)), at,
                ProjectResponses.Group::of);
    }

    @Operation(operationId = "createGroup", summary = "Create a group in a project")
    @Returns(value = ProjectResponses.Group.class, status = 201)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> create(Principal principal, @Valid @RequestBody ProjectRequests.CreateGroup request) {
        ProjectView project = project(request.projectId());
        authorization.requireProject(principal, project, Permission.WRITE_PROJECTS);
        requireFreeName(project.id(), request.name());
        GroupId id = GroupId.generate();
        commands.send(new CreateGroup(id, new ProjectId(project.id()), new OrganizationId(project.organizationId()),
                request.name()));
        return Responses.created(versions.current(id.value()),
                ProjectResponses.Group.of(projects.findGroup(id.value(), null).orElseThrow()));
    }

    @Operation(operationId = "getGroup", summary = "Read a group, now or as of an instant")
    @Returns(value = ProjectResponses.Group.class, conditional = true)
    @GetMapping("/{id}")
    ResponseEntity<Envelope> get(Principal principal, @PathVariable String id,
                                 @RequestParam(name = "as_of", required = false) String asOf,
                                 HttpServletRequest request) {
        Instant at = Responses.asOf(asOf);
        // The version before the view: a write committing in between then gives a stale ETag (a later
        // If-Match is 412), never a body older than its ETag.
        long current = at == null ? versions.current(id) : -1;
        // As of an instant a group (or project) deleted since is still readable by the organization's members.
        GroupView authority = at == null ? group(id)
                : projects.lastGroupVersion(id).orElseThrow(() -> BaserDbException.notFound("Group"));
        ProjectView project = at == null ? project(authority.projectId())
                : projects.find(authority.projectId(), null).or(() -> projects.lastVersion(authority.projectId()))
                .orElseThrow(() -> BaserDbException.notFound("Group"));
        authorization.requireProject(principal, project, Permission.READ_ORGANIZATION);
        GroupView group = at == null ? authority
                : projects.findGroup(id, at).orElseThrow(() -> BaserDbException.notFound("Group"));
        return Responses.resource(request, at == null ? current : group.version(), at,
                ProjectResponses.Group.of(group));
    }

    @Operation(operationId = "renameGroup", summary = "Rename a group")
    @Returns(value = ProjectResponses.Group.class)
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> rename(Principal principal, @PathVariable String id,
                                    @Valid @RequestBody ProjectRequests.RenameGroup body, HttpServletRequest request) {
        GroupView group = group(id);
        authorization.requireProject(principal, project(group.projectId()), Permission.DELETE_SCHEMA);
        Long expected = Responses.ifMatch(request, versions.current(id));
        if (!group.name().equals(body.name())) {
            requireFreeName(group.projectId(), body.name());
        }
        commands.send(new RenameGroup(new GroupId(id), body.name(), expected));
        return ResponseEntity.ok().eTag(Responses.etag(versions.current(id)))
                .body(Envelope.success(ProjectResponses.Group.of(group(id))));
    }

    @Operation(operationId = "deleteGroup", summary = "Delete a group; a group that still has tables cannot be deleted (409)")
    @Returns(value = ProjectResponses.Group.class)
    @DeleteMapping("/{id}")
    ResponseEntity<Envelope> delete(Principal principal, @PathVariable String id, HttpServletRequest request) {
        GroupView group = group(id);
        authorization.requireProject(principal, project(group.projectId()), Permission.DELETE_SCHEMA);
        Long expected = Responses.ifMatch(request, versions.current(id));
        if (tables.groupHasTables(id)) {
            throw BaserDbException.conflict("The group still has tables; delete them first");
        }
        commands.send(new DeleteGroup(new GroupId(id), expected));
        return Envelope.ok(ProjectResponses.Group.of(group));
    }

    @Operation(operationId = "getGroupHistory", summary = "The group's events, with actor and request id")
    @Returns(value = HistoryResponses.Entry.class, list = true)
    @GetMapping("/{id}/history")
    ResponseEntity<Envelope> history(Principal principal, @PathVariable String id) {
        // A deleted group's history stays readable: it is found through its last version.
        GroupView group = projects.findGroup(id, null).or(() -> projects.lastGroupVersion(id))
                .orElseThrow(() -> BaserDbException.notFound("Group"));
        ProjectView project = projects.find(group.projectId(), null).or(() -> projects.lastVersion(group.projectId()))
                .orElseThrow(() -> BaserDbException.notFound("Group"));
        authorization.requireProject(principal, project, Permission.READ_AUDIT);
        return historyResponses.of(history.of(id));
    }

    private void requireFreeName(String projectId, String name) {
        if (RESERVED.contains(name) || name.startsWith("pg_")) {
            throw BaserDbException.invalid("name", "is reserved");
        }
        if (projects.findGroupByName(projectId, name).isPresent()) {
            throw BaserDbException.conflict("The project already has a group named " + name);
        }
    }

    private ProjectView project(String id) {
        return projects.find(id, null).orElseThrow(() -> BaserDbException.notFound("Project"));
    }

    private GroupView group(String id) {
        return projects.findGroup(id, null).orElseThrow(() -> BaserDbException.notFound("Group"));
    }
}
