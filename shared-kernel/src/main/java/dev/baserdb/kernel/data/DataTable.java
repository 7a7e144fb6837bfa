package dev.baserdb.kernel.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.ColumnType;
import dev.baserdb.kernel.table.Policy;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.baserdb.kernel.readmodel.schema.Tables.TABLE_VERSIONS;


/**
 * A managed table as the data plane knows it (or knew it): where it lives in PostgreSQL, its
 * columns with their parsed types, indexes and policies. The one place that names a managed
 * table's physical objects: its table, its history table and their system columns. Built once per
 * version of the table (see {@link DataCatalog}), so a data request parses no column type and
 * builds no column field of its own.
 */
public final class DataTable {

    /** The columns every managed table has, in their order, with their types. */
    public static final Map<String, ColumnType> SYSTEM_COLUMNS;
    public static final Field<UUID> ID = DSL.field(DSL.name("id"), UUID.class);
    public static final Field<OffsetDateTime> CREATED_AT = DSL.field(DSL.name("created_at"), OffsetDateTime.class);
    public static final Field<OffsetDateTime> UPDATED_AT = DSL.field(DSL.name("updated_at"), OffsetDateTime.class);
    public static final Field<OffsetDateTime> DELETED_AT = DSL.field(DSL.name("deleted_at"), OffsetDateTime.class);

    /** Bookkeeping columns of a history table, before the row's own columns. */
    public static final Field<Long> VERSION = DSL.field(DSL.name("version"), Long.class);
    public static final Field<String> OPERATION = DSL.field(DSL.name("operation"), String.class);
    public static final Field<OffsetDateTime> VALID_FROM = DSL.field(DSL.name("valid_from"), OffsetDateTime.class);
    public static final Field<OffsetDateTime> VALID_TO = DSL.field(DSL.name("valid_to"), OffsetDateTime.class);
    public static final Field<String> EVENT_ID = DSL.field(DSL.name("event_id"), String.class);
    public static final Field<String> ACTOR_TYPE = DSL.field(DSL.name("actor_type"), String.class);
    public static final Field<String> ACTOR_ID = DSL.field(DSL.name("actor_id"), String.class);

    static {
        Map<String, ColumnType> system = new LinkedHashMap<>();
        system.put("id", ColumnType.parse("UUID").orElseThrow());
        system.put("created_at", ColumnType.parse("TIMESTAMPTZ").orElseThrow());
        system.put("updated_at", ColumnType.parse("TIMESTAMPTZ").orElseThrow());
        system.put("deleted_at", ColumnType.parse("TIMESTAMPTZ").orElseThrow());
        SYSTEM_COLUMNS = Collections.unmodifiableMap(system);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Column>> COLUMNS = new TypeReference<>() {
    };
    private static final TypeReference<List<Policy>> POLICIES = new TypeReference<>() {
    };

    private final String id;
    private final String projectId;
    private final String organizationId;
    private final String groupId;
    private final String schema;
    private final String name;
    private final List<Column> columns;
    private final JsonNode indexes;
    private final List<Policy> policies;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final long version;
    private final Map<String, ColumnType> columnTypes;
    private final Map<String, ColumnType> readable;
    private final Map<String, Field<Object>> fields;
    private final Table<Record> table;
    private final Table<Record> history;
    private final String sqlTable;
    private final String sqlHistory;

    public DataTable(String id, String projectId, String organizationId, String groupId, String schema, String name,
                     List<Column> columns, JsonNode indexes, List<Policy> policies, Instant createdAt,
                     Instant updatedAt, long version) {
        this.id = id;
        this.projectId = projectId;
        this.organizationId = organizationId;
        this.groupId = groupId;
        this.schema = schema;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.indexes = indexes;
        this.policies = List.copyOf(policies);
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.version = version;
        Map<String, ColumnType> types = new LinkedHashMap<>();
        columns.forEach(column -> types.put(column.name(), ColumnType.parse(column.type())
                .orElseThrow(() -> new IllegalStateException("Bad column type " + column.type()))));
        this.columnTypes = Collections.unmodifiableMap(types);
        Map<String, ColumnType> all = new LinkedHashMap<>();
        SYSTEM_COLUMNS.forEach((column, type) -> {
            if (!column.equals("deleted_at")) {
                all.put(column, type);
            }
        });
        all.putAll(types);
        this.readable = Collections.unmodifiableMap(all);
        Map<String, Field<Object>> byName = new LinkedHashMap<>();
        SYSTEM_COLUMNS.forEach((column, type) -> byName.put(column, typed(column, type)));
        types.forEach((column, type) -> byName.put(column, typed(column, type)));
        this.fields = Collections.unmodifiableMap(byName);
        this.table = DSL.table(DSL.name(schema, name));
        this.history = DSL.table(DSL.name(schema, historyName(id)));
        this.sqlTable = RowWrites.quoted(schema) + "." + RowWrites.quoted(name);
        this.sqlHistory = RowWrites.quoted(schema) + "." + RowWrites.quoted(historyName(id));
    }

    /** A version of the tables read model ({@code table_versions}) as the data plane's table. */
    public static DataTable of(Record row) {
        try {
            return new DataTable(row.get(TABLE_VERSIONS.ID), row.get(TABLE_VERSIONS.PROJECT_ID),
                    row.get(TABLE_VERSIONS.ORGANIZATION_ID),
                    row.get(TABLE_VERSIONS.GROUP_ID), row.get(TABLE_VERSIONS.SCHEMA_NAME), row.get(TABLE_VERSIONS.NAME),
                    JSON.readValue(row.get(TABLE_VERSIONS.COLUMNS), COLUMNS), JSON.readTree(row.get(TABLE_VERSIONS.INDEXES)),
                    JSON.readValue(row.get(TABLE_VERSIONS.POLICIES), POLICIES), row.get(TABLE_VERSIONS.CREATED_AT).toInstant(),
                    row.get(TABLE_VERSIONS.UPDATED_AT).toInstant(), row.get(TABLE_VERSIONS.VERSION));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable tables read model row " + row.get(TABLE_VERSIONS.ID), e);
        }
    }

    /** The history table of the managed table {@code tableId}: {@code h_} and the id's hex digits. */
    public static String historyName(String tableId) {
        return "h_" + tableId.substring(tableId.indexOf('_') + 1);
    }

    /** The PostgreSQL schema of a group's tables: {@code g_} and the group id's hex digits. */
    public static String schemaOf(String groupId) {
        return "g_" + groupId.substring(groupId.indexOf('_') + 1);
    }

    public String id() {
        return id;
    }

    public String projectId() {
        return projectId;
    }

    public String organizationId() {
        return organizationId;
    }

    public String groupId() {
        return groupId;
    }

    public String schema() {
        return schema;
    }

    public String name() {
        return name;
    }

    public List<Column> columns() {
        return columns;
    }

    public JsonNode indexes() {
        return indexes;
    }

    public List<Policy> policies() {
        return policies;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public long version() {
        return version;
    }

    /** User columns by name, with their parsed types, in the table's order. */
    public Map<String, ColumnType> columnTypes() {
        return columnTypes;
    }

    /** What a data-API read may name: {@code id}, {@code created_at}, {@code updated_at}, then the user columns. */
    public Map<String, ColumnType> readable() {
        return readable;
    }

    /** The typed field of a system or user column; null when the table has no such column. */
    public Field<Object> field(String column) {
        return fields.get(column);
    }

    public Table<Record> table() {
        return table;
    }

    public Table<Record> history() {
        return history;
    }

    public Name tableName() {
        return DSL.name(schema, name);
    }

    public Name historyName() {
        return DSL.name(schema, historyName(id));
    }

    /** The table's qualified name as SQL text, quoted. */
    public String sqlTable() {
        return sqlTable;
    }

    /** The history table's qualified name as SQL text, quoted. */
    public String sqlHistory() {
        return sqlHistory;
    }

    @SuppressWarnings("unchecked")
    private static Field<Object> typed(String column, ColumnType type) {
        return (Field<Object>) DSL.field(DSL.name(column), type.dataType());
    }

    @Override
    public String toString() {
        return "DataTable[" + id + " " + schema + "." + name + " v" + version + "]";
    }
}
