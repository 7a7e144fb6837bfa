package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.kernel.project.GroupCommands.DeleteGroup;
import dev.baserdb.kernel.project.GroupCommands.RenameGroup;
import dev.baserdb.kernel.project.ProjectCommands.RenameProject;
import dev.baserdb.kernel.project.ProjectCommands.RestoreProjectToInstant;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.TableCommands.AddColumn;
import dev.baserdb.kernel.table.TableCommands.CreateIndex;
import dev.baserdb.kernel.table.TableCommands.DeleteTable;
import dev.baserdb.kernel.table.TableCommands.DropColumn;
import dev.baserdb.kernel.table.TableCommands.DropIndex;
import dev.baserdb.kernel.table.TableCommands.SetPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Returns a project in place to an instant (API.md §9) by compensating events, never by erasing:
 * the state at the instant and the state now are both folded from the event store, and the
 * difference is sent as ordinary commands in one transaction, after a {@code ProjectRestoredToInstant}
 * marker. Rows inserted since are soft-deleted, rows deleted since come back, changed rows get their
 * old values; columns, indexes and policies return; tables and groups created since are deleted;
 * renamed groups and the project take their old names. History keeps every version, so reads
 * {@code as_of} any earlier instant answer as before.
 *
 * <p>Not covered: a table or group deleted since the instant is not brought back (a deleted table's
 * data plane is dropped, and the aggregates have no undelete); such tables and groups are reported
 * in {@code not_restored}. A column dropped and re-added since with another definition comes back
 * with its old definition and values.
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

    /** What the restore did, by kind, and what it could not bring back. */
    record Outcome(String projectId, Instant asOf, Map<String, Integer> restored, List<NotRestored> notRestored) {
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
            commands.send(new RestoreProjectToInstant(new ProjectId(projectId), asOf));
            Outcome outcome = compensate(projectId, asOf, past, now);
            log.info("Restored project {} to {}: events folded in {} ms, compensations {} sent in {} ms", projectId,
                    asOf, (folded - started) / 1_000_000, outcome.restored(), (System.nanoTime() - folded) / 1_000_000);
            return outcome;
        });
    }

    private Outcome compensate(String projectId, Instant asOf, ProjectState past, ProjectState now) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String kind : List.of("rows_deleted", "rows_restored", "rows_updated", "columns_added",
                "columns_dropped", "indexes_created", "indexes_dropped", "policies_changed", "tables_deleted",
                "groups_deleted", "groups_renamed", "project_renamed")) {
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
                    send(new DropIndex(id, index.name()), counts, "indexes_dropped");
                }
            }
            for (Column column : table.columns().values()) {
                if (!column.equals(before.columns().get(column.name()))) {
                    send(new DropColumn(id, column.name()), counts, "columns_dropped");
                }
            }
            for (Column column : before.columns().values()) {
                if (!column.equals(table.columns().get(column.name()))) {
                    send(new AddColumn(id, column), counts, "columns_added");
                }
            }
            for (ProjectState.Index index : before.indexes().values()) {
                if (!index.equals(table.indexes().get(index.name()))) {
                    createIndexes.add(() -> send(new CreateIndex(id, index.name(), index.columns(), index.unique()),
                            counts, "indexes_created"));
                }
            }
            if (!samePolicies(before.policies(), table.policies())) {
                send(new SetPolicies(id, before.policies().stream()
                        .map(p -> new Policy(Ids.newId("pol"), p.apiRole(), p.operation(), p.allowed(),
                                p.constraintSql()))
                        .toList(), POLICY_ROLES), counts, "policies_changed");
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
                    send(new DeleteRow(row.id(), table), counts, "rows_deleted");
                }
                continue;
            }
            if (row.deleted()) {
                restores.add(() -> send(new RestoreRow(row.id(), table), counts, "rows_restored"));
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
                updates.add(() -> send(new UpdateRow(row.id(), table, changes), counts, "rows_updated"));
            }
        }
        restores.forEach(Runnable::run);
        updates.forEach(Runnable::run);
        createIndexes.forEach(Runnable::run);

        for (ProjectState.Table table : now.tables.values()) {
            ProjectState.Table before = past.tables.get(table.id());
            if (!table.deleted() && (before == null || before.deleted())) {
                send(new DeleteTable(new TableId(table.id())), counts, "tables_deleted");
            } else if (table.deleted() && before != null && !before.deleted()) {
                notRestored.add(new NotRestored("table", table.id(), before.name(),
                        "deleted since the instant; a deleted table is not brought back"));
            }
        }
        for (ProjectState.Group group : now.groups.values()) {
            ProjectState.Group before = past.groups.get(group.id());
            if (!group.deleted() && (before == null || before.deleted())) {
                send(new DeleteGroup(new GroupId(group.id()), null), counts, "groups_deleted");
            } else if (group.deleted() && before != null && !before.deleted()) {
                notRestored.add(new NotRestored("group", group.id(), before.name(),
                        "deleted since the instant; a deleted group is not brought back"));
            } else if (!group.deleted() && !group.name().equals(before.name())) {
                send(new RenameGroup(new GroupId(group.id()), before.name(), null), counts, "groups_renamed");
            }
        }
        if (past.name != null && !past.name.equals(now.name)) {
            send(new RenameProject(new ProjectId(projectId), past.name, null), counts, "project_renamed");
        }
        return new Outcome(projectId, asOf, counts, notRestored);
    }

    private void send(Object command, Map<String, Integer> counts, String kind) {
        commands.send(command);
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
