package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.kernel.project.GroupCommands.CreateGroup;
import dev.baserdb.kernel.project.GroupCommands.DeleteGroup;
import dev.baserdb.kernel.project.GroupCommands.RenameGroup;
import dev.baserdb.kernel.project.ProjectCommands.RenameProject;
import dev.baserdb.kernel.project.ProjectCommands.RestoreProjectToInstant;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.TableCommands.AddColumn;
import dev.baserdb.kernel.table.TableCommands.CreateIndex;
import dev.baserdb.kernel.table.TableCommands.CreateTable;
import dev.baserdb.kernel.table.TableCommands.DeleteTable;
import dev.baserdb.kernel.table.TableCommands.DropColumn;
import dev.baserdb.kernel.table.TableCommands.DropIndex;
import dev.baserdb.kernel.table.TableCommands.SetPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Returns a project in place to an instant (API.md §9) by compensating events, never by erasing:
 * the state at the instant and the state now are both folded from the event store, and the
 * difference is sent as ordinary commands in one transaction (in {@link CommandBatch batches}), after a
 * {@code ProjectRestoredToInstant} marker. Rows inserted since are soft-deleted, rows deleted since come back, changed rows get their
 * old values; columns, indexes and policies return; tables and groups created since are deleted;
 * renamed groups and the project take their old names. History keeps every version, so reads
 * {@code as_of} any earlier instant answer as before.
 *
 * <p>Groups and tables deleted since the instant are created again, as they were then: the group
 * with its name; the table in its group with its columns, indexes and policies, then its rows with
 * their values as of the instant (rows soft-deleted then are inserted and soft-deleted again). They
 * come back under NEW ids, listed in {@code recreated} (old id → new id): a deleted table's physical
 * table and history are dropped by the data plane, and every old row id is a row aggregate that
 * cannot be inserted a second time, so only a new table with new rows can hold the old state. Reads
 * by name (the data API's {@code group.table} paths) answer as at the instant.
 *
 * <p>A column dropped and re-added since with another definition comes back with its old definition
 * and values.
 */
@Component
class PointInTimeRestore {

    private static final Logger log = LoggerFactory.getLogger(PointInTimeRestore.class);
    private static final List<String> POLICY_ROLES = List.of("anon", "authenticated");

    private final ProjectEventLog events;
    private final EventPayloads payloads;
    private final Commands commands;

    PointInTimeRestore(ProjectEventLog events, EventPayloads payloads, Commands commands) {
        this.events = events;
        this.payloads = payloads;
        this.commands = commands;
    }

    /** What the restore did, by kind, what it brought back under new ids, and what it could not bring back. */
    record Outcome(String projectId, Instant asOf, Map<String, Integer> restored, List<Recreated> recreated,
                   List<NotRestored> notRestored) {
    }

    /** A group, table or row deleted since the instant, created again under {@code newId}. */
    record Recreated(String type, String id, String newId, String name) {
    }

    record NotRestored(String type, String id, String name, String reason) {
    }

    Outcome restore(String projectId, Instant asOf) {
        long started = System.nanoTime();
        return commands.inOneTransaction(() -> {
            // Two folds in one pass: "past" takes the events recorded up to the instant (by their
            // timestamps, as the data plane's history does), "now" takes them all.
            ProjectState past = new ProjectState();
            ProjectState now = new ProjectState();
            events.forEach(projectId, events.head(), null, event -> {
                Object payload = payloads.read(event.payloadType(), event.payload());
                if (!event.instant().isAfter(asOf)) {
                    past.apply(payload);
                }
                now.apply(payload);
            });
            long folded = System.nanoTime();
            Outcome outcome;
            try (CommandBatch batch = new CommandBatch(commands)) {
                batch.send(new RestoreProjectToInstant(new ProjectId(projectId), asOf));
                outcome = compensate(batch, projectId, asOf, past, now);
                batch.flush();
                log.info("Restoring project {} to {}: {}", projectId, asOf, batch.timings());
            }
            log.info("Restored project {} to {}: events folded in {} ms, compensations {} sent in {} ms", projectId,
                    asOf, (folded - started) / 1_000_000, outcome.restored(), (System.nanoTime() - folded) / 1_000_000);
            return outcome;
        });
    }

    private Outcome compensate(CommandBatch batch, String projectId, Instant asOf, ProjectState past,
                               ProjectState now) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String kind : List.of("rows_deleted", "rows_restored", "rows_updated", "columns_added",
                "columns_dropped", "indexes_created", "indexes_dropped", "policies_changed", "tables_deleted",
                "groups_deleted", "groups_renamed", "project_renamed", "groups_recreated", "tables_recreated",
                "rows_recreated")) {
            counts.put(kind, 0);
        }
        List<NotRestored> notRestored = new ArrayList<>();
        List<Runnable> createIndexes = new ArrayList<>();
        Set<String> restoredTables = new HashSet<>();

        for (ProjectState.Table table : now.tables.values()) {
            if (table.deleted()) {
                continue;
            }
            ProjectState.Table before = past.tables.get(table.id());
            TableId id = new TableId(table.id());
            if (before == null || before.deleted()) {
                continue; // created since: deleted below, after its rows no longer matter
            }
            restoredTables.add(table.id());
            // indexes first out of the way, so neither column changes nor row values trip over them
            for (ProjectState.Index index : table.indexes().values()) {
                if (!index.equals(before.indexes().get(index.name()))) {
                    send(batch, new DropIndex(id, index.name()), counts, "indexes_dropped");
                }
            }
            for (Column column : table.columns().values()) {
                if (!column.equals(before.columns().get(column.name()))) {
                    send(batch, new DropColumn(id, column.name()), counts, "columns_dropped");
                }
            }
            for (Column column : before.columns().values()) {
                if (!column.equals(table.columns().get(column.name()))) {
                    send(batch, new AddColumn(id, column), counts, "columns_added");
                }
            }
            for (ProjectState.Index index : before.indexes().values()) {
                if (!index.equals(table.indexes().get(index.name()))) {
                    createIndexes.add(() -> send(batch, new CreateIndex(id, index.name(), index.columns(), index.unique()),
                            counts, "indexes_created"));
                }
            }
            if (!samePolicies(before.policies(), table.policies())) {
                send(batch, new SetPolicies(id, freshIds(before.policies()), POLICY_ROLES), counts, "policies_changed");
            }
        }

        // rows: first out of the way (deletes), then back (restores), then their old values
        List<Runnable> restores = new ArrayList<>();
        List<Runnable> updates = new ArrayList<>();
        for (ProjectState.Row row : now.rows.values()) {
            if (!restoredTables.contains(row.tableId())) {
                continue;
            }
            ProjectState.Row before = past.rows.get(row.id());
            TableId table = new TableId(row.tableId());
            boolean liveBefore = before != null && !before.deleted();
            if (!liveBefore) {
                if (!row.deleted()) {
                    send(batch, new DeleteRow(row.id(), table), counts, "rows_deleted");
                }
                continue;
            }
            if (row.deleted()) {
                restores.add(() -> send(batch, new RestoreRow(row.id(), table), counts, "rows_restored"));
            }
            ProjectState.Table pastTable = past.tables.get(row.tableId());
            ProjectState.Table nowTable = now.tables.get(row.tableId());
            ObjectNode changes = JsonNodeFactory.instance.objectNode();
            for (Column column : pastTable.columns().values()) {
                JsonNode old = value(before.values(), column.name());
                // a column re-added by this restore starts empty, whatever the row held before
                JsonNode current = column.equals(nowTable.columns().get(column.name()))
                        ? value(row.values(), column.name()) : JsonNodeFactory.instance.nullNode();
                if (!Objects.equals(old, current)) {
                    changes.set(column.name(), old);
                }
            }
            if (!changes.isEmpty()) {
                updates.add(() -> send(batch, new UpdateRow(row.id(), table, changes), counts, "rows_updated"));
            }
        }
        restores.forEach(Runnable::run);
        updates.forEach(Runnable::run);
        createIndexes.forEach(Runnable::run);

        // out of the way first, so that what comes back finds its names free
        List<ProjectState.Table> tablesToRecreate = new ArrayList<>();
        for (ProjectState.Table table : now.tables.values()) {
            ProjectState.Table before = past.tables.get(table.id());
            if (!table.deleted() && (before == null || before.deleted())) {
                send(batch, new DeleteTable(new TableId(table.id())), counts, "tables_deleted");
            } else if (table.deleted() && before != null && !before.deleted()) {
                tablesToRecreate.add(before);
            }
        }
        List<ProjectState.Group> groupsToRecreate = new ArrayList<>();
        for (ProjectState.Group group : now.groups.values()) {
            ProjectState.Group before = past.groups.get(group.id());
            if (!group.deleted() && (before == null || before.deleted())) {
                send(batch, new DeleteGroup(new GroupId(group.id()), null), counts, "groups_deleted");
            } else if (group.deleted() && before != null && !before.deleted()) {
                groupsToRecreate.add(before);
            } else if (!group.deleted() && !group.name().equals(before.name())) {
                send(batch, new RenameGroup(new GroupId(group.id()), before.name(), null), counts, "groups_renamed");
            }
        }
        if (past.name != null && !past.name.equals(now.name)) {
            send(batch, new RenameProject(new ProjectId(projectId), past.name, null), counts, "project_renamed");
        }

        List<Recreated> recreated = new ArrayList<>();
        if (!groupsToRecreate.isEmpty() || !tablesToRecreate.isEmpty()) {
            Recreation recreation = new Recreation(batch, projectId, now.organizationId, past, counts, recreated);
            groupsToRecreate.forEach(recreation::group);
            tablesToRecreate.forEach(recreation::table);
        }
        return new Outcome(projectId, asOf, counts, recreated, notRestored);
    }

    /** Groups and tables deleted since the instant, made again under new ids with their state as of then. */
    private static final class Recreation {

        private final CommandBatch batch;
        private final ProjectId project;
        private final OrganizationId organization;
        private final ProjectState past;
        private final Map<String, Integer> counts;
        private final List<Recreated> recreated;
        private final Map<String, GroupId> groups = new HashMap<>();

        Recreation(CommandBatch batch, String projectId, String organizationId, ProjectState past,
                   Map<String, Integer> counts, List<Recreated> recreated) {
            this.batch = batch;
            if (organizationId == null) {
                throw new IllegalStateException("The events of project " + projectId + " name no organization");
            }
            this.project = new ProjectId(projectId);
            this.organization = new OrganizationId(organizationId);
            this.past = past;
            this.counts = counts;
            this.recreated = recreated;
        }

        void group(ProjectState.Group before) {
            GroupId id = GroupId.generate();
            send(batch, new CreateGroup(id, project, organization, before.name()), counts, "groups_recreated");
            groups.put(before.id(), id);
            recreated.add(new Recreated("group", before.id(), id.value(), before.name()));
        }

        void table(ProjectState.Table before) {
            // its group is either still there or one made again just now (a table lives in a group that lives)
            GroupId group = groups.getOrDefault(before.groupId(), new GroupId(before.groupId()));
            TableId id = TableId.generate();
            send(batch, new CreateTable(id, project, organization, group, DataTable.schemaOf(group.value()), before.name(),
                    List.copyOf(before.columns().values())), counts, "tables_recreated");
            recreated.add(new Recreated("table", before.id(), id.value(), before.name()));
            for (ProjectState.Index index : before.indexes().values()) {
                send(batch, new CreateIndex(id, index.name(), index.columns(), index.unique()), counts, "indexes_created");
            }
            if (!before.policies().isEmpty()) {
                send(batch, new SetPolicies(id, freshIds(before.policies()), POLICY_ROLES), counts, "policies_changed");
            }
            for (ProjectState.Row row : past.rows.values()) {
                if (!row.tableId().equals(before.id())) {
                    continue;
                }
                // only the columns the table had then: a value of a column dropped before stays in the fold
                ObjectNode values = JsonNodeFactory.instance.objectNode();
                row.values().fields().forEachRemaining(value -> {
                    if (before.columns().containsKey(value.getKey())) {
                        values.set(value.getKey(), value.getValue());
                    }
                });
                String rowId = Ids.uuidV7().toString();
                send(batch, new InsertRow(rowId, id, project, organization, values), counts, "rows_recreated");
                if (row.deleted()) {
                    batch.send(new DeleteRow(rowId, id));
                }
            }
        }
    }

    private static List<Policy> freshIds(List<Policy> policies) {
        return policies.stream()
                .map(p -> new Policy(Ids.newId("pol"), p.apiRole(), p.operation(), p.allowed(), p.constraintSql()))
                .toList();
    }

    private static void send(CommandBatch batch, Object command, Map<String, Integer> counts, String kind) {
        batch.send(command);
        counts.merge(kind, 1, Integer::sum);
    }

    private static JsonNode value(ObjectNode values, String column) {
        JsonNode value = values.get(column);
        return value == null ? JsonNodeFactory.instance.nullNode() : value;
    }

    /** Policies compare by what they allow, not by id (a policy set anew gets new ids). */
    private static boolean samePolicies(List<Policy> a, List<Policy> b) {
        return key(a).equals(key(b));
    }

    private static Set<List<Object>> key(List<Policy> policies) {
        Set<List<Object>> keys = new HashSet<>();
        for (Policy p : policies) {
            keys.add(java.util.Arrays.asList(p.apiRole(), p.operation(), p.allowed(), p.constraintSql()));
        }
        return keys;
    }
}
