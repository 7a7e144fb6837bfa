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
 * (the catalog, pg_indexes, the event store): the ground truth the HTTP tests compare
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

    /**
     * The columns of {@code information_schema.columns}, read from the catalog the view is defined on
     * (the same expressions, for one table): the view checks privileges on every column of every table
     * in the database before it filters, which cost tens of milliseconds a call once the suite has made
     * hundreds of managed tables.
     */
    private static final String COLUMNS = """
            select a.attname,
              case when t.typtype = 'd' then
                case when bt.typelem <> 0 and bt.typlen = -1 then 'ARRAY'
                     when nbt.nspname = 'pg_catalog' then format_type(t.typbasetype, null)
                     else 'USER-DEFINED' end
              else
                case when t.typelem <> 0 and t.typlen = -1 then 'ARRAY'
                     when nt.nspname = 'pg_catalog' then format_type(a.atttypid, null)
                     else 'USER-DEFINED' end
              end,
              information_schema._pg_char_max_length(information_schema._pg_truetypid(a.*, t.*),
                  information_schema._pg_truetypmod(a.*, t.*)),
              information_schema._pg_numeric_precision(information_schema._pg_truetypid(a.*, t.*),
                  information_schema._pg_truetypmod(a.*, t.*)),
              information_schema._pg_numeric_scale(information_schema._pg_truetypid(a.*, t.*),
                  information_schema._pg_truetypmod(a.*, t.*)),
              not (a.attnotnull or (t.typtype = 'd' and t.typnotnull)),
              case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid and c.relkind in ('r', 'v', 'f', 'p')
            join pg_namespace nc on nc.oid = c.relnamespace
            join pg_type t on t.oid = a.atttypid
            join pg_namespace nt on nt.oid = t.typnamespace
            left join (pg_type bt join pg_namespace nbt on nbt.oid = bt.typnamespace)
              on t.typtype = 'd' and t.typbasetype = bt.oid
            left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
            where nc.nspname = ? and c.relname = ? and a.attnum > 0 and not a.attisdropped
            order by a.attnum""";

    /** Tables as {@code information_schema.tables} lists them, from the catalog (see {@link #COLUMNS}). */
    private static final String TABLES = "select n.nspname || '.' || c.relname from pg_class c "
            + "join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'v', 'f', 'p') ";

    /** The table's columns in order, by name; empty when the table does not exist. */
    public static Map<String, PhysicalColumn> columns(String schema, String table) {
        Map<String, PhysicalColumn> columns = new LinkedHashMap<>();
        query(COLUMNS, result -> columns.put(result.getString(1), new PhysicalColumn(result.getString(1),
                        result.getString(2), (Integer) result.getObject(3), (Integer) result.getObject(4),
                        (Integer) result.getObject(5), result.getBoolean(6), result.getString(7))),
                schema, table);
        return columns;
    }

    public static boolean tableExists(String schema, String table) {
        return count("select count(*) from (" + TABLES + "and n.nspname = ? and c.relname = ?) t", schema, table) == 1;
    }

    /** Every table in every managed (group) schema, as {@code schema.table}. */
    public static List<String> allManagedTables() {
        List<String> tables = new ArrayList<>();
        query(TABLES + "and n.nspname like 'g\\_%' order by 1", result -> tables.add(result.getString(1)));
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

    /** The single long a query gives (the first column of its first row); a query with no row is an error. */
    public static long count(String sql, Object... parameters) {
        List<Long> values = new ArrayList<>();
        query(sql, result -> values.add(result.getLong(1)), parameters);
        if (values.isEmpty()) {
            throw new IllegalStateException("No row: " + sql);
        }
        return values.get(0);
    }

    /** The first column of every row a query gives, as text. */
    public static List<String> strings(String sql, Object... parameters) {
        List<String> values = new ArrayList<>();
        query(sql, result -> values.add(result.getString(1)), parameters);
        return values;
    }

    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet result) throws SQLException;
    }

    public static void query(String sql, RowReader reader, Object... parameters) {
        try (Connection connection = TestDatabase.checked(); PreparedStatement statement = connection.prepareStatement(sql)) {
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
