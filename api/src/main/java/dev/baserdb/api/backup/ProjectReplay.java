package dev.baserdb.api.backup;

import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.data.RowEvents.RowDeleted;
import dev.baserdb.kernel.data.RowEvents.RowInserted;
import dev.baserdb.kernel.data.RowEvents.RowRestored;
import dev.baserdb.kernel.data.RowEvents.RowUpdated;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.kernel.project.GroupCommands.CreateGroup;
import dev.baserdb.kernel.project.GroupCommands.DeleteGroup;
import dev.baserdb.kernel.project.GroupCommands.RenameGroup;
import dev.baserdb.kernel.project.GroupEvents;
import dev.baserdb.kernel.project.GroupEvents.GroupCreated;
import dev.baserdb.kernel.project.GroupEvents.GroupDeleted;
import dev.baserdb.kernel.project.GroupEvents.GroupRenamed;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.TableCommands.AddColumn;
import dev.baserdb.kernel.table.TableCommands.CreateIndex;
import dev.baserdb.kernel.table.TableCommands.CreateTable;
import dev.baserdb.kernel.table.TableCommands.DeleteTable;
import dev.baserdb.kernel.table.TableCommands.DropColumn;
import dev.baserdb.kernel.table.TableCommands.DropIndex;
import dev.baserdb.kernel.table.TableCommands.SetPolicies;
import dev.baserdb.kernel.table.TableEvents.TableColumnAdded;
import dev.baserdb.kernel.table.TableEvents.TableColumnDropped;
import dev.baserdb.kernel.table.TableEvents.TableCreated;
import dev.baserdb.kernel.table.TableEvents.TableDeleted;
import dev.baserdb.kernel.table.TableEvents.TableIndexCreated;
import dev.baserdb.kernel.table.TableEvents.TableIndexDropped;
import dev.baserdb.kernel.table.TableEvents.TablePoliciesChanged;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a project's events into another project through commands, under new ids: every group,
 * table, policy and row gets a fresh id (row values stay as they were, so hashed passwords and
 * encrypted values stay hashed and encrypted); the project itself and its public group exist before
 * the first event. Events that are not about the project's schema or data (the project's own renames
 * and key rotations, backups, schedules) have nothing to replay and are skipped.
 */
final class ProjectReplay {

    /** The API roles whose policies a policy set replaces as a whole. */
    private static final List<String> POLICY_ROLES = List.of("anon", "authenticated");

    private final CommandBatch commands;
    private final ProjectId project;
    private final OrganizationId organization;
    private final GroupId publicGroup;
    private final Map<String, GroupId> groups = new HashMap<>();
    private final Map<String, TableId> tables = new HashMap<>();
    private final Map<String, String> rows = new HashMap<>();
    private long replayed;

    ProjectReplay(CommandBatch commands, ProjectId project, OrganizationId organization, GroupId publicGroup) {
        this.commands = commands;
        this.project = project;
        this.organization = organization;
        this.publicGroup = publicGroup;
    }

    /** How many events became commands. */
    long replayed() {
        return replayed;
    }

    void apply(Object event) {
        Object command = commandFor(event);
        if (command != null) {
            commands.send(command);
            replayed++;
        }
    }

    private Object commandFor(Object event) {
        if (event instanceof GroupCreated created) {
            if (GroupEvents.PUBLIC.equals(created.name())) {
                groups.put(created.groupId().value(), publicGroup);
                return null;
            }
            GroupId id = GroupId.generate();
            groups.put(created.groupId().value(), id);
            return new CreateGroup(id, project, organization, created.name());
        }
        if (event instanceof GroupRenamed renamed) {
            return new RenameGroup(group(renamed.groupId()), renamed.name(), null);
        }
        if (event instanceof GroupDeleted deleted) {
            return new DeleteGroup(group(deleted.groupId()), null);
        }
        if (event instanceof TableCreated created) {
            TableId id = TableId.generate();
            tables.put(created.tableId().value(), id);
            GroupId group = group(created.groupId());
            return new CreateTable(id, project, organization, group, DataTable.schemaOf(group.value()),
                    created.name(), created.columns());
        }
        if (event instanceof TableColumnAdded added) {
            return new AddColumn(table(added.tableId()), added.column());
        }
        if (event instanceof TableColumnDropped dropped) {
            return new DropColumn(table(dropped.tableId()), dropped.name());
        }
        if (event instanceof TableIndexCreated index) {
            return new CreateIndex(table(index.tableId()), index.indexName(), index.columns(), index.unique());
        }
        if (event instanceof TableIndexDropped index) {
            return new DropIndex(table(index.tableId()), index.indexName());
        }
        if (event instanceof TablePoliciesChanged changed) {
            return new SetPolicies(table(changed.tableId()), changed.policies().stream()
                    .map(p -> new Policy(Ids.newId("pol"), p.apiRole(), p.operation(), p.allowed(), p.constraintSql()))
                    .toList(), POLICY_ROLES);
        }
        if (event instanceof TableDeleted deleted) {
            return new DeleteTable(table(deleted.tableId()));
        }
        if (event instanceof RowInserted inserted) {
            String id = Ids.uuidV7().toString();
            rows.put(inserted.rowId(), id);
            return new InsertRow(id, table(inserted.tableId()), project, organization, inserted.values());
        }
        if (event instanceof RowUpdated updated) {
            return new UpdateRow(row(updated.rowId()), table(updated.tableId()), updated.changes());
        }
        if (event instanceof RowDeleted deleted) {
            return new DeleteRow(row(deleted.rowId()), table(deleted.tableId()));
        }
        if (event instanceof RowRestored restored) {
            return new RestoreRow(row(restored.rowId()), table(restored.tableId()));
        }
        return null;
    }

    private GroupId group(GroupId source) {
        return mapped(groups, source.value(), "group");
    }

    private TableId table(TableId source) {
        return mapped(tables, source.value(), "table");
    }

    private String row(String source) {
        return mapped(rows, source, "row");
    }

    private static <T> T mapped(Map<String, T> ids, String source, String what) {
        T id = ids.get(source);
        if (id == null) {
            throw new IllegalStateException("The archive changes " + what + " " + source + " before creating it");
        }
        return id;
    }
}
