package dev.baserdb.kernel.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.table.ColumnType;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL that writes managed rows and their history: every row event becomes a change of the
 * physical row and a new version in the table's history table, in the event's transaction. Inserts
 * are set-based: a run of inserted rows is one multi-row {@code INSERT} whose versions go to the
 * history in the same statement (or, under a project role, the statement right after it), and the
 * rows come back as written ({@code RETURNING}), so nobody reads them again.
 */
public final class RowWrites {

    /** One row event to write: the row, its values (checked JSON), and where the version comes from. */
    public record Write(UUID id, ObjectNode values, OffsetDateTime at, long version, String eventId,
                        String actorType, String actorId) {
    }

    /** PostgreSQL takes at most 65,535 parameters per statement; stay well below. */
    private static final int MAX_PARAMETERS = 30_000;
    private static final List<String> HISTORY_BOOKKEEPING = List.of("row_id", "version", "operation", "valid_from",
            "event_id", "actor_type", "actor_id");
    /** The operation of an insert's history version, as SQL. */
    private static final String INSERT = "'insert'";

    private RowWrites() {
    }

    /**
     * Inserts rows (all of one table, one caller) and records their first versions. {@code runAs}
     * null writes as the session's role (the owner); otherwise the rows are inserted as the
     * caller's project role, which the table's policies decide. Returns the rows as written, in the
     * order given, as the data API shows them; as the owner and with no {@link WrittenRows} receipt
     * open (a replay), nothing: the rows are not read back.
     */
    public static List<ObjectNode> insert(DSLContext db, DataTable table, List<Write> rows, RunAs runAs,
                                          long timeoutMillis) {
        List<ObjectNode> written = new ArrayList<>(rows.size());
        int perStatement = Math.max(1, MAX_PARAMETERS / (3 + table.columnTypes().size()) / 2);
        for (int from = 0; from < rows.size(); from += perStatement) {
            List<Write> chunk = rows.subList(from, Math.min(rows.size(), from + perStatement));
            written.addAll(insertChunk(db, table, chunk, runAs, timeoutMillis));
        }
        return written;
    }

    private static List<ObjectNode> insertChunk(DSLContext db, DataTable table, List<Write> rows, RunAs runAs,
                                                long timeoutMillis) {
        List<String> columns = presentColumns(table, rows);
        String values = valuesSql(table, rows, columns);
        List<ObjectNode> written;
        if (runAs == null && !WrittenRows.recording()) {
            // nobody asks for the rows back (a replay, a command from another node): the rows and their versions only
            String sql = "WITH w AS (" + values + " RETURNING *) " + historySql(table, "w", INSERT);
            jdbc(db, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    int next = bindValues(statement, 1, table, rows, columns);
                    bindEvents(connection, statement, next, rows);
                    return statement.executeUpdate();
                }
            });
            return List.of();
        } else if (runAs == null) {
            // one statement: the rows, their versions, and the rows back
            String sql = "WITH w AS (" + values + " RETURNING *) " + historySql(table, "w", INSERT)
                    + returning(table);
            written = jdbc(db, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    int next = bindValues(statement, 1, table, rows, columns);
                    bindEvents(connection, statement, next, rows);
                    return returned(statement, table);
                }
            });
        } else {
            runAs.write(db, timeoutMillis, "insert", () -> jdbc(db, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(values)) {
                    bindValues(statement, 1, table, rows, columns);
                    statement.executeUpdate();
                    return null;
                }
            }));
            String sql = historySql(table, table.sqlTable(), INSERT) + returning(table);
            written = jdbc(db, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    bindEvents(connection, statement, 1, rows);
                    return returned(statement, table);
                }
            });
        }
        List<ObjectNode> ordered = inOrder(rows, written);
        ordered.forEach(WrittenRows::record);
        return ordered;
    }

    /** The user columns any of the rows sets, in the table's order (the others take their defaults). */
    private static List<String> presentColumns(DataTable table, List<Write> rows) {
        Set<String> present = new LinkedHashSet<>();
        for (String column : table.columnTypes().keySet()) {
            for (Write row : rows) {
                if (row.values().has(column)) {
                    present.add(column);
                    break;
                }
            }
        }
        return new ArrayList<>(present);
    }

    private static String valuesSql(DataTable table, List<Write> rows, List<String> columns) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table.sqlTable()).append(" (id, created_at, updated_at");
        for (String column : columns) {
            sql.append(", ").append(quoted(column));
        }
        sql.append(") VALUES ");
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "(?, ?, ?" : ", (?, ?, ?");
            for (String column : columns) {
                sql.append(", ").append(rows.get(r).values().has(column)
                        ? JdbcValues.placeholder(table.columnTypes().get(column)) : "DEFAULT");
            }
            sql.append(')');
        }
        return sql.toString();
    }

    /**
     * Copies the rows of {@code source} (the statement's rows, or the table) named in the events into
     * the history, with {@code operation} (SQL: the insert's literal, or a parameter bound first).
     */
    private static String historySql(DataTable table, String source, String operation) {
        StringBuilder rowColumns = new StringBuilder("id, created_at, updated_at, deleted_at");
        StringBuilder fromSource = new StringBuilder("s.id, s.created_at, s.updated_at, s.deleted_at");
        for (String column : table.columnTypes().keySet()) {
            rowColumns.append(", ").append(quoted(column));
            fromSource.append(", s.").append(quoted(column));
        }
        return "INSERT INTO " + table.sqlHistory() + " (" + String.join(", ", HISTORY_BOOKKEEPING) + ", " + rowColumns
                + ") SELECT s.id, e.version, " + operation + ", s.updated_at, e.event_id, e.actor_type, e.actor_id, "
                + fromSource + " FROM " + source + " s JOIN unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
                + " AS e(id, version, event_id, actor_type, actor_id, position) ON e.id = s.id"
                // versions are numbered (version_id) in the order of their events, live and in a replay alike
                + " ORDER BY e.position";
    }

    /** What a write of the history answers when the rows are wanted back: each row as the data API shows it. */
    private static String returning(DataTable table) {
        StringBuilder returned = new StringBuilder(" RETURNING id, created_at, updated_at");
        for (String column : table.columnTypes().keySet()) {
            returned.append(", ").append(quoted(column));
        }
        return returned.toString();
    }

    private static int bindValues(PreparedStatement statement, int first, DataTable table, List<Write> rows,
                                  List<String> columns) throws SQLException {
        int index = first;
        for (Write row : rows) {
            statement.setObject(index++, row.id());
            statement.setObject(index++, row.at());
            statement.setObject(index++, row.at());
            for (String column : columns) {
                JsonNode value = row.values().get(column);
                if (value != null) {
                    ColumnType type = table.columnTypes().get(column);
                    JdbcValues.bind(statement, index++, type, type.fromJson(value));
                }
            }
        }
        return index;
    }

    private static void bindEvents(Connection connection, PreparedStatement statement, int first, List<Write> rows)
            throws SQLException {
        int size = rows.size();
        UUID[] ids = new UUID[size];
        Long[] versions = new Long[size];
        String[] events = new String[size];
        String[] actorTypes = new String[size];
        String[] actorIds = new String[size];
        for (int i = 0; i < size; i++) {
            Write row = rows.get(i);
            ids[i] = row.id();
            versions[i] = row.version();
            events[i] = row.eventId();
            actorTypes[i] = row.actorType();
            actorIds[i] = row.actorId();
        }
        Array[] arrays = {connection.createArrayOf("uuid", ids), connection.createArrayOf("bigint", versions),
                connection.createArrayOf("text", events), connection.createArrayOf("text", actorTypes),
                connection.createArrayOf("text", actorIds)};
        for (int i = 0; i < arrays.length; i++) {
            statement.setArray(first + i, arrays[i]);
        }
    }

    private static List<ObjectNode> returned(PreparedStatement statement, DataTable table) throws SQLException {
        List<String> columns = new ArrayList<>(table.readable().keySet());
        List<ColumnType> types = new ArrayList<>(table.readable().values());
        List<ObjectNode> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(JdbcValues.row(result, 1, columns, types));
            }
        }
        return rows;
    }

    private static List<ObjectNode> inOrder(List<Write> rows, List<ObjectNode> written) {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        for (ObjectNode row : written) {
            byId.put(row.path("id").asText(), row);
        }
        List<ObjectNode> ordered = new ArrayList<>(rows.size());
        for (Write row : rows) {
            ObjectNode found = byId.get(row.id().toString());
            if (found == null) {
                throw new IllegalStateException("Row " + row.id() + " was not written");
            }
            ordered.add(found);
        }
        return ordered;
    }

    /**
     * Changes columns of a live row (as {@code runAs}, when set) and records the new version;
     * returns the row as written. A row the caller may not see, or already deleted, is 404.
     */
    public static ObjectNode update(DSLContext db, DataTable table, Write change, RunAs runAs, long timeoutMillis) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(table.sqlTable()).append(" SET updated_at = ?");
        List<String> columns = new ArrayList<>();
        Iterator<String> names = change.values().fieldNames();
        while (names.hasNext()) {
            String column = names.next();
            ColumnType type = table.columnTypes().get(column);
            if (type != null) {
                columns.add(column);
                sql.append(", ").append(quoted(column)).append(" = ").append(JdbcValues.placeholder(type));
            }
        }
        sql.append(" WHERE id = ? AND deleted_at IS NULL");
        java.util.function.Supplier<Integer> write = () -> jdbc(db, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int index = 1;
                statement.setObject(index++, change.at());
                for (String column : columns) {
                    ColumnType type = table.columnTypes().get(column);
                    JdbcValues.bind(statement, index++, type, type.fromJson(change.values().get(column)));
                }
                statement.setObject(index, change.id());
                return statement.executeUpdate();
            }
        });
        int updated = runAs == null ? write.get() : runAs.write(db, timeoutMillis, "update", write);
        if (updated == 0) {
            // the row exists (the aggregate knows it) but the caller may not see it: as if it did not exist
            throw invisible();
        }
        return version(db, table, change, "update");
    }

    /**
     * Soft-deletes a row and records the version. A caller under a project role needs the table's
     * DELETE policy to allow it: asked with a real {@code DELETE} that is rolled back straight after.
     */
    public static void delete(DSLContext db, DataTable table, Write delete, RunAs runAs, long timeoutMillis) {
        if (runAs != null) {
            db.execute("SAVEPOINT bdb_delete_check");
            int allowed = runAs.write(db, timeoutMillis, "delete", () -> db.deleteFrom(table.table())
                    .where(DataTable.ID.eq(delete.id())).execute());
            db.execute("ROLLBACK TO SAVEPOINT bdb_delete_check");
            if (allowed == 0) {
                throw invisible();
            }
        }
        db.update(table.table()).set(DataTable.DELETED_AT, delete.at()).set(DataTable.UPDATED_AT, delete.at())
                .where(DataTable.ID.eq(delete.id())).and(DataTable.DELETED_AT.isNull()).execute();
        version(db, table, delete, "delete");
    }

    /** Undoes a soft delete and records the version. */
    public static ObjectNode restore(DSLContext db, DataTable table, Write restore) {
        db.update(table.table()).set(DataTable.DELETED_AT, (OffsetDateTime) null).set(DataTable.UPDATED_AT, restore.at())
                .where(DataTable.ID.eq(restore.id())).execute();
        return version(db, table, restore, "restore");
    }

    /** Closes the row's current version and copies the row as it now is into the history. */
    private static ObjectNode version(DSLContext db, DataTable table, Write change, String operation) {
        if (change.version() > 0) {
            // a version never ends before it began, even when another node's clock is behind
            db.update(table.history()).set(DataTable.VALID_TO, DSL.greatest(DataTable.VALID_FROM, DSL.val(change.at())))
                    .where(DataTable.ID.eq(change.id())).and(DataTable.VALID_TO.isNull()).execute();
        }
        String sql = historySql(table, table.sqlTable(), "?") + returning(table);
        return jdbc(db, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, operation);
                bindEvents(connection, statement, 2, List.of(change));
                List<ObjectNode> rows = returned(statement, table);
                if (rows.isEmpty()) {
                    throw invisible();
                }
                WrittenRows.record(rows.get(0));
                return rows.get(0);
            }
        });
    }

    /** A row the caller's policies hide answers like a row that does not exist (API.md §7). */
    private static BaserDbException invisible() {
        return new BaserDbException(ErrorCode.NOT_FOUND, "Resource not found");
    }

    /**
     * The statements that build the indexes of the history table of {@code tableId} in {@code schema}
     * besides its key: {@code as_of} by period, and a row's versions by its id, which serves
     * {@code as_of} reads of a row and lists in the default order (id) without scanning every
     * version, a row's history and the closing of its current version.
     */
    public static List<String> createHistoryIndexes(String schema, String tableId) {
        String history = quoted(schema) + "." + quoted(DataTable.historyName(tableId));
        List<String> statements = new ArrayList<>();
        historyIndexes(tableId).forEach((index, columns) ->
                statements.add("CREATE INDEX IF NOT EXISTS " + quoted(index) + " ON " + history + " (" + columns + ")"));
        return statements;
    }

    /** The statements that drop those indexes ({@link #createHistoryIndexes}). */
    public static List<String> dropHistoryIndexes(String schema, String tableId) {
        return historyIndexes(tableId).keySet().stream()
                .map(index -> "DROP INDEX IF EXISTS " + quoted(schema) + "." + quoted(index)).toList();
    }

    /**
     * History tables made by earlier versions also have an index on {@code (row_id, valid_from)}:
     * {@code row_id} is always the version's {@code id}, so it is the {@code _id} index again, one
     * more index to write at every version. A rebuild of the data plane makes every table again,
     * without it.
     */
    private static Map<String, String> historyIndexes(String tableId) {
        String history = DataTable.historyName(tableId);
        Map<String, String> indexes = new LinkedHashMap<>();
        indexes.put(history + "_period", "valid_from, valid_to");
        indexes.put(history + "_id", "id, valid_from");
        return indexes;
    }

    static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs JDBC work on the context's connection (in its transaction); SQL errors as jOOQ's, with their state. */
    static <T> T jdbc(DSLContext db, JdbcWork<T> work) {
        return db.connectionResult(connection -> {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new DataAccessException(e.getMessage(), e);
            }
        });
    }
}
