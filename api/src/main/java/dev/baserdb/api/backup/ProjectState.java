package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.data.RowEvents.RowDeleted;
import dev.baserdb.kernel.data.RowEvents.RowInserted;
import dev.baserdb.kernel.data.RowEvents.RowRestored;
import dev.baserdb.kernel.data.RowEvents.RowUpdated;
import dev.baserdb.kernel.project.GroupEvents.GroupCreated;
import dev.baserdb.kernel.project.GroupEvents.GroupDeleted;
import dev.baserdb.kernel.project.GroupEvents.GroupRenamed;
import dev.baserdb.kernel.project.ProjectEvents.ProjectCreated;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRenamed;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRestoredFromBackup;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.TableEvents.TableColumnAdded;
import dev.baserdb.kernel.table.TableEvents.TableColumnDropped;
import dev.baserdb.kernel.table.TableEvents.TableCreated;
import dev.baserdb.kernel.table.TableEvents.TableDeleted;
import dev.baserdb.kernel.table.TableEvents.TableIndexCreated;
import dev.baserdb.kernel.table.TableEvents.TableIndexDropped;
import dev.baserdb.kernel.table.TableEvents.TablePoliciesChanged;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's schema and data folded from its events: groups, tables (columns, indexes, policies)
 * and rows (values, soft-deleted or not). Every value is immutable and replaced on change (row values
 * are copied before an update merges into them), so two folds may share the events' values.
 */
final class ProjectState {

    record Group(String id, String name, boolean deleted) {
    }

    record Index(String name, List<String> columns, boolean unique) {
    }

    record Table(String id, String groupId, String name, Map<String, Column> columns, Map<String, Index> indexes,
                 List<Policy> policies, boolean deleted) {

        Table with(Map<String, Column> columns, Map<String, Index> indexes, List<Policy> policies, boolean deleted) {
            return new Table(id, groupId, name, columns, indexes, policies, deleted);
        }
    }

    record Row(String id, String tableId, ObjectNode values, boolean deleted) {
    }

    String name;
    String organizationId;
    final Map<String, Group> groups = new LinkedHashMap<>();
    final Map<String, Table> tables = new LinkedHashMap<>();
    final Map<String, Row> rows = new LinkedHashMap<>();

    void apply(Object event) {
        if (event instanceof ProjectCreated created) {
            name = created.name();
            organizationId = created.organizationId().value();
        } else if (event instanceof ProjectRestoredFromBackup restored) {
            name = restored.name();
            organizationId = restored.organizationId().value();
        } else if (event instanceof ProjectRenamed renamed) {
            name = renamed.name();
        } else if (event instanceof GroupCreated created) {
            groups.put(created.groupId().value(), new Group(created.groupId().value(), created.name(), false));
        } else if (event instanceof GroupRenamed renamed) {
            groups.computeIfPresent(renamed.groupId().value(), (id, g) -> new Group(id, renamed.name(), g.deleted()));
        } else if (event instanceof GroupDeleted deleted) {
            groups.computeIfPresent(deleted.groupId().value(), (id, g) -> new Group(id, g.name(), true));
        } else if (event instanceof TableCreated created) {
            Map<String, Column> columns = new LinkedHashMap<>();
            created.columns().forEach(c -> columns.put(c.name(), c));
            tables.put(created.tableId().value(), new Table(created.tableId().value(), created.groupId().value(),
                    created.name(), columns, Map.of(), List.of(), false));
        } else if (event instanceof TableColumnAdded added) {
            table(added.tableId().value(), t -> {
                Map<String, Column> columns = new LinkedHashMap<>(t.columns());
                columns.put(added.column().name(), added.column());
                return t.with(columns, t.indexes(), t.policies(), t.deleted());
            });
        } else if (event instanceof TableColumnDropped dropped) {
            table(dropped.tableId().value(), t -> {
                Map<String, Column> columns = new LinkedHashMap<>(t.columns());
                columns.remove(dropped.name());
                return t.with(columns, t.indexes(), t.policies(), t.deleted());
            });
        } else if (event instanceof TableIndexCreated created) {
            table(created.tableId().value(), t -> {
                Map<String, Index> indexes = new LinkedHashMap<>(t.indexes());
                indexes.put(created.indexName(), new Index(created.indexName(), created.columns(), created.unique()));
                return t.with(t.columns(), indexes, t.policies(), t.deleted());
            });
        } else if (event instanceof TableIndexDropped dropped) {
            table(dropped.tableId().value(), t -> {
                Map<String, Index> indexes = new LinkedHashMap<>(t.indexes());
                indexes.remove(dropped.indexName());
                return t.with(t.columns(), indexes, t.policies(), t.deleted());
            });
        } else if (event instanceof TablePoliciesChanged changed) {
            table(changed.tableId().value(), t -> t.with(t.columns(), t.indexes(), List.copyOf(changed.policies()), t.deleted()));
        } else if (event instanceof TableDeleted deleted) {
            table(deleted.tableId().value(), t -> t.with(t.columns(), t.indexes(), t.policies(), true));
        } else if (event instanceof RowInserted inserted) {
            rows.put(inserted.rowId(), new Row(inserted.rowId(), inserted.tableId().value(), inserted.values(), false));
        } else if (event instanceof RowUpdated updated) {
            rows.computeIfPresent(updated.rowId(), (id, r) -> {
                ObjectNode values = r.values().deepCopy();
                values.setAll(updated.changes());
                return new Row(id, r.tableId(), values, r.deleted());
            });
        } else if (event instanceof RowDeleted deleted) {
            rows.computeIfPresent(deleted.rowId(), (id, r) -> new Row(id, r.tableId(), r.values(), true));
        } else if (event instanceof RowRestored restored) {
            rows.computeIfPresent(restored.rowId(), (id, r) -> new Row(id, r.tableId(), r.values(), false));
        }
    }

    private void table(String id, java.util.function.UnaryOperator<Table> change) {
        tables.computeIfPresent(id, (key, table) -> change.apply(table));
    }
}
