package dev.baserdb.api.table;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.openapi.Accepts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.kernel.project.GroupEvents;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.Identifiers;
import dev.baserdb.kernel.table.TableCommands.AddColumn;
import dev.baserdb.kernel.table.TableCommands.CreateIndex;
import dev.baserdb.kernel.table.TableCommands.CreateTable;
import dev.baserdb.kernel.table.TableCommands.DeletePolicy;
import dev.baserdb.kernel.table.TableCommands.DeleteTable;
import dev.baserdb.kernel.table.TableCommands.DropColumn;
import dev.baserdb.kernel.table.TableCommands.DropIndex;
import dev.baserdb.kernel.table.TableCommands.SetPolicies;
import dev.baserdb.query.data.TableDirectory;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.platform.AggregateVersions;
import dev.baserdb.query.project.GroupView;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Managed tables: schema, indexes and row-level policies (API.md §6). */
@RestController
@RequestMapping(path = "/api/v1/tables", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tables")
class TableController {

    private final Commands commands;
    private final TableDirectory tables;
    private final ProjectDirectory projects;
    private final Authorization authorization;
    private final AggregateVersions versions;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;
    private final PolicySpecs policySpecs;

    TableController(Commands commands, TableDirectory tables, ProjectDirectory projects, Authorization authorization,
                    AggregateVersions versions, ResourceHistory history, HistoryResponses historyResponses,
                    PolicySpecs policySpecs) {
        this.commands = commands;
        this.tables = tables;
        this.projects = projects;
        this.authorization = authorization;
        this.versions = versions;
        this.history = history;
        this.historyResponses = historyResponses;
        this.policySpecs = policySpecs;
    }

    @Operation(operationId = "listTables", summary = "Tables of a project (optionally of one group), now or as of an instant")
    @Returns(value = TableResponses.Table.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal, @RequestParam(name = "project_id") String projectId,
                                  @RequestParam(name = "group_id", required = false) String groupId,
                                  @RequestParam(name = "as_of", required = false) String asOf,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) Integer offset) {
        authorization.requireProject(principal, project(projectId), Permission.READ_ORGANIZATION);
        Instant at = Responses.asOf(asOf);
        return Responses.page(tables.tablesOf(projectId, groupId, at, Responses.pageRequest(limit, offset)), at,
                TableResponses.Table::of);
    }

    @Operation(operationId = "createTable", summary = "Create a table with columns in a project's group (public by default)")
    @Returns(value = TableResponses.Table.class, status = 201)
    @Accepts(TableSchemas.NewTable.class)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> create(Principal principal, @RequestBody ObjectNode body) {
        String projectId = requiredText(body, "project_id");
        ProjectView project = project(projectId);
        authorization.requireProject(principal, project, Permission.WRITE_PROJECTS);
        GroupView group = group(project, body.path("group_id"));
        String name = requiredText(body, "name");
        Identifiers.problem(name).ifPresent(problem -> {
            throw BaserDbException.invalid("name", problem);
        });
        List<Column> columns = ColumnSpecs.columns(body.get("columns"));
        if (tables.findByName(group.id(), name).isPresent()) {
            throw BaserDbException.conflict("The group already has a table named " + name);
        }
        TableId id = TableId.generate();
        commands.send(new CreateTable(id, new ProjectId(project.id()), new OrganizationId(project.organizationId()),
                new GroupId(group.id()), DataTable.schemaOf(group.id()), name, columns));
        return Responses.created(versions.current(id.value()), TableResponses.Table.of(current(id.value())));
    }

    @Operation(operationId = "getTable", summary = "A table's schema with columns, indexes and policies, now or as of an instant")
    @Returns(value = TableResponses.Table.class, conditional = true)
    @GetMapping("/{id}")
    ResponseEntity<Envelope> get(Principal principal, @PathVariable String id,
                                 @RequestParam(name = "as_of", required = false) String asOf,
                                 HttpServletRequest request) {
        Instant at = Responses.asOf(asOf);
        // The version before the view: a write committing in between then gives a stale ETag (a later
        // If-Match is 412), never a body older than its ETag (a stale body under a current ETag would
        // let an If-Match update overwrite what it never saw).
        long currentVersion = at == null ? versions.current(id) : -1;
        DataTable authority = at == null ? current(id)
                : tables.lastVersion(id).orElseThrow(() -> BaserDbException.notFound("Table"));
        authorizeOn(principal, authority, Permission.READ_ORGANIZATION);
        DataTable table = at == null ? authority
                : tables.find(id, at).orElseThrow(() -> BaserDbException.notFound("Table"));
        return Responses.resource(request, at == null ? currentVersion : table.version(), at,
                TableResponses.Table.of(table));
    }

    @Operation(operationId = "deleteTable", summary = "Delete a table and its data (its events remain)")
    @Returns(value = TableResponses.Table.class)
    @DeleteMapping("/{id}")
    ResponseEntity<Envelope> delete(Principal principal, @PathVariable String id, HttpServletRequest request) {
        DataTable table = deletable(principal, id);
        Responses.ifMatch(request, versions.current(id));
        commands.send(new DeleteTable(new TableId(id)));
        return Envelope.ok(TableResponses.Table.of(table));
    }

    @Operation(operationId = "addColumn", summary = "Add a column")
    @Returns(value = TableResponses.Table.class, status = 201)
    @Accepts(TableSchemas.NewColumn.class)
    @PostMapping(path = "/{id}/columns", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> addColumn(Principal principal, @PathVariable String id, @RequestBody JsonNode body) {
        writable(principal, id);
        commands.send(new AddColumn(new TableId(id), ColumnSpecs.column(body, "")));
        return Envelope.created(TableResponses.Table.of(current(id)));
    }

    @Operation(operationId = "dropColumn", summary = "Drop a column")
    @Returns(value = TableResponses.Table.class)
    @DeleteMapping("/{id}/columns/{name}")
    ResponseEntity<Envelope> dropColumn(Principal principal, @PathVariable String id, @PathVariable String name) {
        deletable(principal, id);
        commands.send(new DropColumn(new TableId(id), name));
        return Envelope.ok(TableResponses.Table.of(current(id)));
    }

    @Operation(operationId = "listIndexes", summary = "The table's indexes")
    @Returns(value = TableSchemas.TableIndex.class, list = true)
    @GetMapping("/{id}/indexes")
    ResponseEntity<Envelope> indexes(Principal principal, @PathVariable String id) {
        DataTable table = current(id);
        authorizeOn(principal, table, Permission.READ_ORGANIZATION);
        List<JsonNode> indexes = new ArrayList<>();
        table.indexes().forEach(indexes::add);
        return Envelope.list(indexes);
    }

    @Operation(operationId = "createIndex", summary = "Create an index {columns, unique?, name?}")
    @Returns(value = TableResponses.Table.class, status = 201)
    @Accepts(TableSchemas.NewIndex.class)
    @PostMapping(path = "/{id}/indexes", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> createIndex(Principal principal, @PathVariable String id, @RequestBody JsonNode body) {
        DataTable table = writable(principal, id);
        JsonNode columns = body.path("columns");
        if (!columns.isArray() || columns.isEmpty() || columns.size() > 32) {
            throw BaserDbException.invalid("columns", "must be an array of 1 to 32 column names");
        }
        List<String> names = new ArrayList<>();
        columns.forEach(column -> {
            if (!column.isTextual() || Identifiers.problem(column.asText()).isPresent()) {
                throw BaserDbException.invalid("columns", "must be column names");
            }
            names.add(column.asText());
        });
        JsonNode unique = body.path("unique");
        if (!unique.isMissingNode() && !unique.isNull() && !unique.isBoolean()) {
            throw BaserDbException.invalid("unique", "must be true or false");
        }
        String name = body.path("name").isTextual() ? body.path("name").asText()
                : table.name() + "_" + String.join("_", names) + (unique.asBoolean(false) ? "_key" : "_idx");
        if (name.length() > 63 || !name.matches("^[a-zA-Z_][a-zA-Z0-9_]*$")) {
            throw BaserDbException.invalid("name", "must match ^[a-zA-Z_][a-zA-Z0-9_]{0,62}$");
        }
        commands.send(new CreateIndex(new TableId(id), name, names, unique.asBoolean(false)));
        return Envelope.created(TableResponses.Table.of(current(id)));
    }

    @Operation(operationId = "dropIndex", summary = "Drop an index")
    @Returns(value = TableResponses.Table.class)
    @DeleteMapping("/{id}/indexes/{name}")
    ResponseEntity<Envelope> dropIndex(Principal principal, @PathVariable String id, @PathVariable String name) {
        deletable(principal, id);
        commands.send(new DropIndex(new TableId(id), name));
        return Envelope.ok(TableResponses.Table.of(current(id)));
    }

    @Operation(operationId = "listPolicies", summary = "The table's row-level policies")
    @Returns(value = TableResponses.PolicyResponse.class, list = true)
    @GetMapping("/{id}/policies")
    ResponseEntity<Envelope> policies(Principal principal, @PathVariable String id) {
        DataTable table = current(id);
        authorizeOn(principal, table, Permission.READ_ORGANIZATION);
        return Envelope.list(table.policies().stream().map(TableResponses.PolicyResponse::of).toList());
    }

    @Operation(operationId = "setPolicies", summary = "Set policies: [{api_role, allow:[…]}], [{api_role, operation, allowed, constraint_sql?}] or one such object")
    @Returns(value = TableResponses.PoliciesUpdated.class)
    @Accepts(TableSchemas.PolicyChange.class)
    @PutMapping(path = "/{id}/policies", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> setPolicies(Principal principal, @PathVariable String id, @RequestBody JsonNode body) {
        DataTable table = writable(principal, id);
        PolicySpecs.Change change = policySpecs.read(body, table);
        int updated = commands.send(new SetPolicies(new TableId(id), change.policies(), change.replaceRoles()));
        return Envelope.ok(new TableResponses.PoliciesUpdated(updated,
                current(id).policies().stream().map(TableResponses.PolicyResponse::of).toList()));
    }

    @Operation(operationId = "deletePolicy", summary = "Delete one policy")
    @Returns(value = TableResponses.PolicyResponse.class, list = true)
    @DeleteMapping("/{id}/policies/{policyId}")
    ResponseEntity<Envelope> deletePolicy(Principal principal, @PathVariable String id, @PathVariable String policyId) {
        deletable(principal, id);
        commands.send(new DeletePolicy(new TableId(id), policyId));
        return Envelope.list(current(id).policies().stream().map(TableResponses.PolicyResponse::of).toList());
    }

    @Operation(operationId = "getTableHistory", summary = "The table's events, with actor and request id")
    @Returns(value = HistoryResponses.Entry.class, list = true)
    @GetMapping("/{id}/history")
    ResponseEntity<Envelope> history(Principal principal, @PathVariable String id) {
        DataTable table = tables.find(id, null).or(() -> tables.lastVersion(id))
                .orElseThrow(() -> BaserDbException.notFound("Table"));
        authorizeOn(principal, table, Permission.READ_AUDIT);
        return historyResponses.of(history.of(id));
    }

    /** A table the caller may delete, or delete parts of (the {@code delete} scope on top of the write role). */
    private DataTable deletable(Principal principal, String id) {
        DataTable table = current(id);
        authorizeOn(principal, table, Permission.DELETE_SCHEMA);
        return table;
    }

    private DataTable writable(Principal principal, String id) {
        DataTable table = current(id);
        authorizeOn(principal, table, Permission.WRITE_PROJECTS);
        return table;
    }

    private void authorizeOn(Principal principal, DataTable table, Permission permission) {
        ProjectView project = projects.find(table.projectId(), null).or(() -> projects.lastVersion(table.projectId()))
                .orElseThrow(() -> BaserDbException.notFound("Table"));
        authorization.requireProject(principal, project, permission);
    }

    private GroupView group(ProjectView project, JsonNode groupId) {
        if (groupId.isMissingNode() || groupId.isNull()) {
            return projects.findGroupByName(project.id(), GroupEvents.PUBLIC)
                    .orElseThrow(() -> BaserDbException.notFound("Group public"));
        }
        if (!groupId.isTextual()) {
            throw BaserDbException.invalid("group_id", "must be a string");
        }
        return projects.findGroup(groupId.asText(), null).filter(group -> group.projectId().equals(project.id()))
                .orElseThrow(() -> BaserDbException.notFound("Group"));
    }

    private ProjectView project(String id) {
        return projects.find(id, null).orElseThrow(() -> BaserDbException.notFound("Project"));
    }

    private DataTable current(String id) {
        return tables.find(id, null).orElseThrow(() -> BaserDbException.notFound("Table"));
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw BaserDbException.invalid(field, "is required and must be a string");
        }
        return value.asText();
    }
}
