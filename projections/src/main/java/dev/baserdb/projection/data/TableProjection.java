package dev.baserdb.projection.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.project.GroupEvents.GroupDeleted;
import dev.baserdb.kernel.project.GroupEvents.GroupRenamed;
import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.data.RowWrites;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.ConstraintGrammar;
import dev.baserdb.kernel.table.ColumnType;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.SystemColumns;
import dev.baserdb.kernel.table.TableEvents.TableColumnAdded;
import dev.baserdb.kernel.table.TableEvents.TableColumnDropped;
import dev.baserdb.kernel.table.TableEvents.TableCreated;
import dev.baserdb.kernel.table.TableEvents.TableDeleted;
import dev.baserdb.kernel.table.TableEvents.TableIndexCreated;
import dev.baserdb.kernel.table.TableEvents.TableIndexDropped;
import dev.baserdb.kernel.table.TableEvents.TablePoliciesChanged;
import dev.baserdb.projection.platform.VersionedRows;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static org.jooq.impl.DSL.name;
import static dev.baserdb.kernel.readmodel.schema.Tables.TABLE_VERSIONS;

/**
 * The data plane's schema side: every managed-table event becomes real DDL in the project's
 * PostgreSQL schemas, in the same transaction as the event (a failing statement rolls the command
 * back), and the tables read model that describes them. Each table gets a history table of row
 * versions, row-level security with the table's policies compiled to PostgreSQL policies for the
 * project's own anon and authenticated roles ({@link DatabaseRoles}), and grants so that only those
 * policies decide. Those roles may use this project's schemas and no other.
 */
@Component
@ProcessingGroup(TableProjection.GROUP)
class TableProjection {

    /**
     * Tables and their rows are one read model: a rebuild drops the managed schemas and replays
     * table and row events together, in the order they happened.
     */
    static final String GROUP = "data_plane";
    private static final Logger log = LoggerFactory.getLogger(TableProjection.class);
    /** The reader role's policy on every table and history table; the API roles' policies come and go beside it. */
    private static final String READER_POLICY = "bdb_reader_select";

    private final DSLContext db;
    private final VersionedRows rows;
    private final DatabaseRoles roles;
    private final ProjectRoles projectRoles;
    private final DataCatalog catalog;
    private final RowProjection rowWrites;
    private final RetiredSchemas retired;

    TableProjection(DSLContext db, VersionedRows rows, DatabaseRoles roles, ProjectRoles projectRoles,
                    DataCatalog catalog, RowProjection rowWrites, RetiredSchemas retired) {
        this.db = db;
        this.rows = rows;
        this.roles = roles;
        this.projectRoles = projectRoles;
        this.catalog = catalog;
        this.rowWrites = rowWrites;
        this.retired = retired;
    }

    /**
     * Before any change of a table, group or project: the rows collected so far go first (they were
     * written under the old shape), and the data catalog learns that table metadata changes.
     */
    private void changing() {
        rowWrites.flushPending();
        CatalogChanges.changing(db, catalog);
    }

    @EventHandler
    void on(TableCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        changing();
        Name table = name(event.schema(), event.name());
        Name history = name(event.schema(), DataTable.historyName(event.tableId().value()));
        String projectRoles = projectRoles(event.projectId().value());
        ddl("CREATE SCHEMA IF NOT EXISTS " + q(name(event.schema())));
        ddl("GRANT USAGE ON SCHEMA " + q(name(event.schema())) + " TO " + projectRoles);
        StringBuilder columns = new StringBuilder(
                "id uuid PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, deleted_at timestamptz");
        StringBuilder historyColumns = new StringBuilder("version_id bigserial PRIMARY KEY, row_id uuid NOT NULL, "
                + "version bigint NOT NULL, operation text NOT NULL, valid_from timestamptz NOT NULL, "
                + "valid_to timestamptz, event_id text NOT NULL, actor_type text, actor_id text, "
                + "id uuid NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, deleted_at timestamptz");
        for (Column column : event.columns()) {
            columns.append(", ").append(columnDefinition(column));
            historyColumns.append(", ").append(q(name(column.name()))).append(' ').append(type(column).sql());
        }
        ddl("CREATE TABLE " + q(table) + " (" + columns + ")");
        ddl("CREATE TABLE " + q(history) + " (" + historyColumns + ")");
        if (!rowWrites.historyIndexesAtEnd(event.schema(), event.tableId().value())) {
            RowWrites.createHistoryIndexes(event.schema(), event.tableId().value()).forEach(this::ddl);
        }
        for (Column column : event.columns()) {
            if (column.unique()) {
                uniqueIndex(event.tableId().value(), table, history, column.name());
            }
        }
        for (Name secured : List.of(table, history)) {
            ddl("ALTER TABLE " + q(secured) + " ENABLE ROW LEVEL SECURITY");
        }
        ddl("GRANT SELECT, INSERT, UPDATE, DELETE ON " + q(table) + " TO " + projectRoles);
        ddl("GRANT SELECT ON " + q(history) + " TO " + projectRoles);
        readerMayRead(event.projectId().value(), event.schema(), List.of(table, history));
        rows.open(TABLE_VERSIONS, TABLE_VERSIONS.PERIOD, TABLE_VERSIONS.ID.eq(event.tableId().value()), Map.ofEntries(
                        Map.entry(TABLE_VERSIONS.ID, event.tableId().value()),
                        Map.entry(TABLE_VERSIONS.PROJECT_ID, event.projectId().value()),
                        Map.entry(TABLE_VERSIONS.ORGANIZATION_ID, event.organizationId().value()),
                        Map.entry(TABLE_VERSIONS.GROUP_ID, event.groupId().value()),
                        Map.entry(TABLE_VERSIONS.SCHEMA_NAME, event.schema()),
                        Map.entry(TABLE_VERSIONS.NAME, event.name()),
                        Map.entry(TABLE_VERSIONS.COLUMNS, json(event.columns())),
                        Map.entry(TABLE_VERSIONS.INDEXES, "[]"),
                        Map.entry(TABLE_VERSIONS.POLICIES, "[]"),
                        Map.entry(TABLE_VERSIONS.CREATED_AT, utc(at)),
                        Map.entry(TABLE_VERSIONS.UPDATED_AT, utc(at))),
                TABLE_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(TableColumnAdded event, @SequenceNumber long version, @Timestamp Instant at) {
        changing();
        Record current = current(event.tableId().value());
        Name table = name(current.get(TABLE_VERSIONS.SCHEMA_NAME), current.get(TABLE_VERSIONS.NAME));
        Column column = event.column();
        ddl("ALTER TABLE " + q(table) + " ADD COLUMN " + columnDefinition(column));
        ddl("ALTER TABLE " + q(history(current)) + " ADD COLUMN " + q(name(column.name())) + " " + type(column).sql());
        if (column.unique()) {
            uniqueIndex(event.tableId().value(), table, history(current), column.name());
        }
        List<Column> columns = new ArrayList<>(DataTable.of(current).columns());
        columns.add(column);
        change(event.tableId().value(), Map.of(TABLE_VERSIONS.COLUMNS, json(columns)), version, at);
    }

    @EventHandler
    void on(TableColumnDropped event, @SequenceNumber long version, @Timestamp Instant at) {
        changing();
        Record current = current(event.tableId().value());
        Name table = name(current.get(TABLE_VERSIONS.SCHEMA_NAME), current.get(TABLE_VERSIONS.NAME));
        ddl("ALTER TABLE " + q(table) + " DROP COLUMN " + q(name(event.name())) + " CASCADE");
        ddl("ALTER TABLE " + q(history(current)) + " DROP COLUMN " + q(name(event.name())));
        List<Column> columns = new ArrayList<>(DataTable.of(current).columns());
        columns.removeIf(column -> column.name().equals(event.name()));
        ArrayNode indexes = (ArrayNode) read(current.get(TABLE_VERSIONS.INDEXES));
        for (int i = indexes.size() - 1; i >= 0; i--) {
            for (JsonNode indexed : indexes.get(i).path("columns")) {
                if (indexed.asText().equals(event.name())) {
                    indexes.remove(i);
                    break;
                }
            }
        }
        change(event.tableId().value(), Map.of(TABLE_VERSIONS.COLUMNS, json(columns),
                TABLE_VERSIONS.INDEXES, indexes.toString()), version, at);
    }

    @EventHandler
    void on(TableIndexCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        changing();
        Record current = current(event.tableId().value());
        Name table = name(current.get(TABLE_VERSIONS.SCHEMA_NAME), current.get(TABLE_VERSIONS.NAME));
        List<String> columns = event.columns().stream().map(column -> q(name(column))).toList();
        ddl("CREATE " + (event.unique() ? "UNIQUE " : "") + "INDEX " + q(name(indexName(event.tableId().value(),
                event.indexName()))) + " ON " + q(table) + " (" + String.join(", ", columns) + ")"
                + (event.unique() ? " WHERE deleted_at IS NULL" : ""));
        historyIndex(event.tableId().value(), history(current), event.indexName(), columns);
        ArrayNode indexes = (ArrayNode) read(current.get(TABLE_VERSIONS.INDEXES));
        ObjectNode index = indexes.addObject();
        index.put("name", event.indexName());
        event.columns().forEach(index.putArray("columns")::add);
        index.put("unique", event.unique());
        change(event.tableId().value(), Map.of(TABLE_VERSIONS.INDEXES, indexes.toString()), version, at);
    }

    @EventHandler
    void on(TableIndexDropped event, @SequenceNumber long version, @Timestamp Instant at) {
        changing();
        Record current = current(event.tableId().value());
        ddl("DROP INDEX IF EXISTS " + q(name(current.get(TABLE_VERSIONS.SCHEMA_NAME),
                indexName(event.tableId().value(), event.indexName()))));
        ddl("DROP INDEX IF EXISTS " + q(name(current.get(TABLE_VERSIONS.SCHEMA_NAME),
                historyIndexName(event.tableId().value(), event.indexName()))));
        ArrayNode indexes = (ArrayNode) read(current.get(TABLE_VERSIONS.INDEXES));
        for (int i = indexes.size() - 1; i >= 0; i--) {
            if (indexes.get(i).path("name").asText().equals(event.indexName())) {
                indexes.remove(i);
            }
        }
        change(event.tableId().value(), Map.of(TABLE_VERSIONS.INDEXES, indexes.toString()), version, at);
    }

    @EventHandler
    void on(TablePoliciesChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        changing();
        Record current = current(event.tableId().value());
        Name table = name(current.get(TABLE_VERSIONS.SCHEMA_NAME), current.get(TABLE_VERSIONS.NAME));
        Name history = history(current);
        dropPolicies(current.get(TABLE_VERSIONS.SCHEMA_NAME), current.get(TABLE_VERSIONS.NAME));
        dropPolicies(current.get(TABLE_VERSIONS.SCHEMA_NAME), history.last());
        String projectId = current.get(TABLE_VERSIONS.PROJECT_ID);
        projectRoles.ensure(projectId);
        Set<String> columns = new HashSet<>(SystemColumns.ROW);
        DataTable.of(current).columns().forEach(column -> columns.add(column.name()));
        for (Policy policy : event.policies()) {
            if (!policy.allowed()) {
                continue;
            }
            String role = q(name(roles.dataRole(projectId, policy.apiRole())));
            String condition = "(" + compiled(policy, columns) + ")";
            String clause = switch (policy.operation()) {
                case "SELECT", "DELETE" -> " USING " + condition;
                case "INSERT" -> " WITH CHECK " + condition;
                case "UPDATE" -> " USING " + condition + " WITH CHECK " + condition;
                default -> throw new IllegalStateException("Unknown operation " + policy.operation());
            };
            String policyName = "bdb_" + policy.apiRole() + "_" + policy.operation().toLowerCase();
            ddl("CREATE POLICY " + q(name(policyName)) + " ON " + q(table) + " AS PERMISSIVE FOR "
                    + policy.operation() + " TO " + role + clause);
            if (policy.operation().equals("SELECT")) {
                ddl("CREATE POLICY " + q(name(policyName)) + " ON " + q(history) + " AS PERMISSIVE FOR SELECT TO "
                        + role + clause);
            }
        }
        change(event.tableId().value(), Map.of(TABLE_VERSIONS.POLICIES, json(event.policies())), version, at);
    }

    @EventHandler
    void on(TableDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        changing();
        Record current = current(event.tableId().value());
        ddl("DROP TABLE IF EXISTS " + q(name(current.get(TABLE_VERSIONS.SCHEMA_NAME), current.get(TABLE_VERSIONS.NAME))));
        ddl("DROP TABLE IF EXISTS " + q(history(current)));
        rows.end(TABLE_VERSIONS, TABLE_VERSIONS.PERIOD, TABLE_VERSIONS.ID.eq(event.tableId().value()),
                TABLE_VERSIONS.VERSION, version, utc(at));
    }

    /** A renamed group changes the paths of its tables ({@code group.table}). */
    @EventHandler
    void on(GroupRenamed event) {
        changing();
    }

    /** A deleted group's schema goes with it (it has no tables left: the API refuses otherwise). */
    @EventHandler
    void on(GroupDeleted event) {
        changing();
        ddl("DROP SCHEMA IF EXISTS " + q(name(DataTable.schemaOf(event.groupId().value()))) + " CASCADE");
    }

    /** A deleted project's data plane is removed: its schemas and tables (its events remain). */
    @EventHandler
    void on(ProjectDeleted event, @Timestamp Instant at) {
        changing();
        List<String> schemas = db.selectDistinct(TABLE_VERSIONS.SCHEMA_NAME).from(TABLE_VERSIONS)
                .where(TABLE_VERSIONS.PROJECT_ID.eq(event.projectId().value())).and(TABLE_VERSIONS.PERIOD.current())
                .fetch(TABLE_VERSIONS.SCHEMA_NAME);
        for (String schema : schemas) {
            ddl("DROP SCHEMA IF EXISTS " + q(name(schema)) + " CASCADE");
        }
        db.update(TABLE_VERSIONS).set(TABLE_VERSIONS.PERIOD.validTo(), utc(at))
                .where(TABLE_VERSIONS.PROJECT_ID.eq(event.projectId().value())).and(TABLE_VERSIONS.PERIOD.current())
                .execute();
        // The roles can go once the schemas (and the grants in them) are gone for everyone to see.
        String projectId = event.projectId().value();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    projectRoles.drop(projectId);
                }
            });
        } else {
            projectRoles.drop(projectId);
        }
    }

    /**
     * The project's reader role (members: its read-only credentials) may read every row of these
     * tables: a policy of its own beside the API roles' policies, not BYPASSRLS. Granted when the
     * table is made, so existing credentials read new tables without a rotation.
     */
    private void readerMayRead(String projectId, String schema, List<Name> tables) {
        String reader = q(name(roles.reader(projectId)));
        ddl("GRANT USAGE ON SCHEMA " + q(name(schema)) + " TO " + reader);
        for (Name secured : tables) {
            ddl("GRANT SELECT ON " + q(secured) + " TO " + reader);
            ddl("CREATE POLICY " + q(name(READER_POLICY)) + " ON " + q(secured) + " AS PERMISSIVE FOR SELECT TO "
                    + reader + " USING (true)");
        }
    }

    /** The project's two data roles, quoted, ready for a GRANT (created first if need be). */
    private String projectRoles(String projectId) {
        projectRoles.ensure(projectId);
        return q(name(roles.anon(projectId))) + ", " + q(name(roles.authenticated(projectId)));
    }

    /**
     * The condition PostgreSQL enforces, rendered from the grammar's checked tree (never the stored
     * text as such). The API checked it before the event was written; an event older than the
     * grammar that does not pass is compiled to {@code false}: closed, not open.
     */
    private static String compiled(Policy policy, Set<String> columns) {
        if (policy.constraintSql() == null) {
            return "true";
        }
        try {
            return ConstraintGrammar.compile(policy.constraintSql(), columns).postgres();
        } catch (ConstraintGrammar.Refused refused) {
            log.warn("Policy {} ({} {}) is outside the constraint grammar ({}); it is enforced as false",
                    policy.policyId(), policy.apiRole(), policy.operation(), refused.getMessage());
            return "false";
        }
    }

    /**
     * Every managed schema goes (renamed out of the way now, dropped after the rebuild commits:
     * {@link RetiredSchemas}); the replay creates them again from the events.
     */
    @ResetHandler
    void reset() {
        changing();
        retired.retire(db.selectDistinct(TABLE_VERSIONS.SCHEMA_NAME).from(TABLE_VERSIONS)
                .fetch(TABLE_VERSIONS.SCHEMA_NAME));
        db.deleteFrom(TABLE_VERSIONS).execute();
    }

    private void dropPolicies(String schema, String table) {
        for (String policy : db.resultQuery("SELECT policyname FROM pg_policies WHERE schemaname = ? AND tablename = ?"
                + " AND policyname <> ?", schema, table, READER_POLICY).fetch(0, String.class)) {
            ddl("DROP POLICY " + q(name(policy)) + " ON " + q(name(schema, table)));
        }
    }

    private void uniqueIndex(String tableId, Name table, Name history, String column) {
        ddl("CREATE UNIQUE INDEX " + q(name(indexName(tableId, "unique_" + column))) + " ON " + q(table)
                + " (" + q(name(column)) + ") WHERE deleted_at IS NULL");
        historyIndex(tableId, history, "unique_" + column, List.of(q(name(column))));
    }

    /**
     * The same columns indexed on the history table (never unique: a row has many versions), so a
     * filtered or ordered {@code as_of} read walks the index as the live read does, instead of
     * testing every version of the table. A dropped column takes its indexes with it.
     */
    private void historyIndex(String tableId, Name history, String index, List<String> quotedColumns) {
        ddl("CREATE INDEX " + q(name(historyIndexName(tableId, index))) + " ON " + q(history)
                + " (" + String.join(", ", quotedColumns) + ")");
    }

    private static String historyIndexName(String tableId, String index) {
        return "h" + indexName(tableId, index);
    }

    private String columnDefinition(Column column) {
        ColumnType type = type(column);
        StringBuilder sql = new StringBuilder(q(name(column.name()))).append(' ').append(type.sql());
        if (column.defaultValue() != null) {
            Object value = type.fromJson(read(column.defaultValue()));
            sql.append(" DEFAULT ").append(db.renderInlined(DSL.inline(value, type.dataType())));
        }
        if (!column.nullable()) {
            sql.append(" NOT NULL");
        }
        return sql.toString();
    }

    /** Index names are schema-wide: made unique per table, and short enough for PostgreSQL. */
    private static String indexName(String tableId, String index) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((tableId + "/" + index).getBytes(StandardCharsets.UTF_8));
            return "ix_" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ColumnType type(Column column) {
        return ColumnType.parse(column.type()).orElseThrow(() -> new IllegalStateException("Bad type " + column.type()));
    }

    private static Name history(Record current) {
        String id = current.get(TABLE_VERSIONS.ID);
        return name(current.get(TABLE_VERSIONS.SCHEMA_NAME), DataTable.historyName(id));
    }

    private Record current(String tableId) {
        Record current = db.selectFrom(TABLE_VERSIONS).where(TABLE_VERSIONS.ID.eq(tableId))
                .and(TABLE_VERSIONS.PERIOD.current()).fetchOne();
        if (current == null) {
            throw new IllegalStateException("No managed table " + tableId);
        }
        return current;
    }

    private void change(String tableId, Map<org.jooq.Field<?>, Object> changes, long version, Instant at) {
        Map<org.jooq.Field<?>, Object> withTime = new java.util.LinkedHashMap<>(changes);
        withTime.put(TABLE_VERSIONS.UPDATED_AT, utc(at));
        rows.change(TABLE_VERSIONS, TABLE_VERSIONS.PERIOD, TABLE_VERSIONS.ID.eq(tableId), withTime,
                TABLE_VERSIONS.VERSION, version, utc(at));
    }

    private void ddl(String sql) {
        db.execute(sql);
    }

    private String q(Name name) {
        return db.render(name);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
