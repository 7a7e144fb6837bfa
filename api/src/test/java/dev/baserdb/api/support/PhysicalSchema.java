package dev.baserdb.api.support;

import dev.baserdb.kernel.data.DataTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What PostgreSQL itself holds for managed tables, read straight from this run's database
 * (information_schema, pg_indexes, the event store): the ground truth the HTTP tests compare
 * the API's answers with.
 */
public final class PhysicalSchema {

    private PhysicalSchema() {
    }

    /** The PostgreSQL schema of a group's tables. */
    public static String schemaOf(String groupId) {
        return DataTable.schemaOf(groupId);
    }

    /** A column as information_schema describes it. */
    public record PhysicalColumn(String name, String dataType, Integer length, Integer precision, Integer scale,
                                 boolean nullable, String defaultValue) {
    }

    /** The table's columns in order, by name; empty when the table does not exist. */
    public static Map<String, PhysicalColumn> columns(String schema, String table) {
        Map<String, PhysicalColumn> columns = new LinkedHashMap<>();
        query("select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, "
                        + "is_nullable, column_default from information_schema.columns "
                        + "where table_schema = ? and table_name = ? order by ordinal_position",
                result -> columns.put(result.getString(1), new PhysicalColumn(result.getString(1), result.getString(2),
                        (Integer) result.getObject(3), (Integer) result.getObject(4), (Integer) result.getObject(5),
                        "YES".equals(result.getString(6)), result.getString(7))),
                schema, table);
        return columns;
    }

    public static boolean tableExists(String schema, String table) {
        return count("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                schema, table) == 1;
    }

    /** Every table in every managed (group) schema, as {@code schema.table}. */
    public static List<String> allManagedTables() {
        List<String> tables = new ArrayList<>();
        query("select table_schema || '.' || table_name from information_schema.tables "
                + "where table_schema like 'g\\_%' order by 1", result -> tables.add(result.getString(1)));
        return tables;
    }

    /** The definitions ({@code CREATE … INDEX …}) of the table's indexes. */
    public static List<String> indexDefinitions(String schema, String table) {
        List<String> indexes = new ArrayList<>();
        query("select indexdef from pg_indexes where schemaname = ? and tablename = ? order by indexname",
                result -> indexes.add(result.getString(1)), schema, table);
        return indexes;
    }

    /** Rows physically in the table, soft-deleted ones included. */
    public static long rowCount(String schema, String table) {
        return count("select count(*) from \"" + schema.replace("\"", "\"\"") + "\".\""
                + table.replace("\"", "\"\"") + "\"");
    }

    /** Events in the whole event store whose payload type ends with this (e.g. {@code RowInserted}). */
    public static long eventsOfType(String payloadTypeSuffix) {
        return count("select count(*) from domainevententry where payloadtype like ?", "%" + payloadTypeSuffix);
    }

    /** Events in the whole event store. */
    public static long allEvents() {
        return count("select count(*) from domainevententry");
    }

    /** Events whose payload or metadata contains this text anywhere. */
    public static long eventsContaining(String text) {
        return count("select count(*) from domainevententry where position(convert_to(?, 'UTF8') in payload) > 0 "
                + "or position(convert_to(?, 'UTF8') in coalesce(metadata, ''::bytea)) > 0", text, text);
    }

    public static long count(String sql, Object... parameters) {
        long[] count = new long[1];
        query(sql, result -> count[0] = result.getLong(1), parameters);
        return count[0];
    }

    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet result) throws SQLException;
    }

    public static void query(String sql, RowReader reader, Object... parameters) {
        try (Connection connection = TestDatabase.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    reader.read(result);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
