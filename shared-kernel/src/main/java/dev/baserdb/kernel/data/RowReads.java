package dev.baserdb.kernel.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.table.ColumnType;
import org.jooq.AggregateFunction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

/**
 * The data API's query grammar (API.md §7: filters, order, select, search, aggregates) and the SQL
 * that reads managed rows, now or {@code as_of} an instant (from the history table). Every
 * identifier is checked against the table's columns and quoted, every value is a bind parameter.
 * Which session runs the SQL (and so which row-level security applies) is the caller's choice.
 */
public final class RowReads {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A page of rows and, when asked for, the number of all matching rows. */
    public record Page(List<ObjectNode> rows, Long total) {
    }

    private RowReads() {
    }

    public static Page list(DSLContext db, DataTable table, DataQuery query) {
        List<String> selected = selected(query.select(), table);
        Condition where = where(table, query);
        Table<?> source = source(table, query);
        ResultQuery<?> select = db.select(fields(selected, table)).from(source).where(where)
                .orderBy(order(query.order(), table)).limit(query.limit()).offset(query.offset());
        List<ObjectNode> rows = rows(db, select, selected, table);
        Long total = query.count() ? (long) db.fetchCount(source, where) : null;
        return new Page(rows, total);
    }

    public static long count(DSLContext db, DataTable table, DataQuery query) {
        return db.fetchCount(source(table, query), where(table, query));
    }

    /** One row by id: live (or also soft-deleted), now or as of an instant. */
    public static Optional<ObjectNode> get(DSLContext db, DataTable table, UUID id, Instant asOf, boolean includeDeleted) {
        List<String> columns = new ArrayList<>(table.readable().keySet());
        List<ColumnType> types = new ArrayList<>(table.readable().values());
        StringBuilder sql = new StringBuilder("SELECT id, created_at, updated_at");
        for (String column : table.columnTypes().keySet()) {
            sql.append(", ").append(RowWrites.quoted(column));
        }
        sql.append(" FROM ").append(asOf == null ? table.sqlTable() : table.sqlHistory()).append(" WHERE id = ?");
        if (asOf != null) {
            sql.append(" AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)");
        }
        if (!includeDeleted) {
            sql.append(" AND deleted_at IS NULL");
        }
        return Optional.ofNullable(RowWrites.jdbc(db, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                statement.setObject(1, id);
                if (asOf != null) {
                    OffsetDateTime at = asOf.atOffset(ZoneOffset.UTC);
                    statement.setObject(2, at);
                    statement.setObject(3, at);
                }
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? JdbcValues.row(result, 1, columns, types) : null;
                }
            }
        }));
    }

    /**
     * The row versions the given row events wrote (the history's {@code event_id}), keyed by event
     * id: what a change stream or a webhook shows of a change. Read in {@code db}'s session, so under
     * a project role the table's SELECT policies decide which of them come back.
     */
    public static Map<String, ObjectNode> versions(DSLContext db, DataTable table, Map<String, UUID> rowsByEvent) {
        if (rowsByEvent.isEmpty()) {
            return Map.of();
        }
        List<String> columns = new ArrayList<>(table.readable().keySet());
        List<ColumnType> types = new ArrayList<>(table.readable().values());
        StringBuilder sql = new StringBuilder("SELECT event_id, id, created_at, updated_at");
        for (String column : table.columnTypes().keySet()) {
            sql.append(", ").append(RowWrites.quoted(column));
        }
        sql.append(" FROM ").append(table.sqlHistory()).append(" WHERE id = ANY(?) AND event_id = ANY(?)");
        return RowWrites.jdbc(db, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                statement.setArray(1, connection.createArrayOf("uuid", rowsByEvent.values().stream().distinct().toArray()));
                statement.setArray(2, connection.createArrayOf("text", rowsByEvent.keySet().toArray()));
                Map<String, ObjectNode> found = new java.util.HashMap<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        found.put(result.getString(1), JdbcValues.row(result, 2, columns, types));
                    }
                }
                return found;
            }
        });
    }

    /** {@code fn} of {@code column} (count needs none), optionally per value of {@code groupBy}. */
    public static List<ObjectNode> aggregate(DSLContext db, DataTable table, String fn, String column, String groupBy,
                                             DataQuery query) {
        Map<String, ColumnType> columns = table.readable();
        Field<?> target = column == null ? null : known(column, table, ErrorCode.INVALID_FILTER);
        AggregateFunction<?> value = switch (fn == null ? "" : fn) {
            case "count" -> target == null ? DSL.count() : DSL.count(target);
            case "sum", "avg" -> {
                if (column == null || !columns.containsKey(column) || !columns.get(column).numeric()) {
                    throw new BaserDbException(ErrorCode.INVALID_FILTER, "sum and avg need a numeric column",
                            Map.of("column", "is required and must be numeric"));
                }
                yield fn.equals("sum") ? DSL.sum(numeric(target)) : DSL.avg(numeric(target));
            }
            case "min", "max" -> {
                // PostgreSQL has no min/max over uuid
                if (target == null || !columns.get(column).ordered() || columns.get(column).dataType().isUUID()) {
                    throw new BaserDbException(ErrorCode.INVALID_FILTER, "min and max need an ordered column",
                            Map.of("column", "is required and must be ordered"));
                }
                yield fn.equals("min") ? DSL.min(target) : DSL.max(target);
            }
            default -> throw new BaserDbException(ErrorCode.INVALID_FILTER, "Unknown aggregate function",
                    Map.of("fn", "must be one of count, sum, avg, min, max"));
        };
        Field<?> group = groupBy == null ? null : known(groupBy, table, ErrorCode.INVALID_FILTER);
        Condition where = where(table, query);
        List<Field<?>> selected = new ArrayList<>();
        if (group != null) {
            selected.add(group);
        }
        selected.add(value.as("value"));
        var select = db.select(selected).from(source(table, query)).where(where);
        var result = group == null ? select.fetch() : select.groupBy(group).orderBy(group).fetch();
        List<ObjectNode> rows = new ArrayList<>();
        for (Record record : result) {
            ObjectNode row = JSON.objectNode();
            if (group != null) {
                row.set(groupBy, columns.get(groupBy).toJson(record.get(0)));
            }
            Object aggregated = record.get("value");
            row.set("value", aggregated == null ? JSON.nullNode()
                    : aggregated instanceof Number n ? JSON.numberNode(new BigDecimal(n.toString()))
                    : columns.get(column).toJson(aggregated));
            rows.add(row);
        }
        return rows;
    }

    /** A row's id and stored password hash, for the data login; empty unless exactly one live row matches. */
    public static Optional<Map.Entry<UUID, String>> credential(DSLContext db, DataTable table, String identifierColumn,
                                                               Object identifier, String passwordColumn) {
        Field<Object> identifierField = known(identifierColumn, table, ErrorCode.VALIDATION_FAILED);
        var rows = db.select(DataTable.ID, field(name(passwordColumn), String.class))
                .from(table.table())
                .where(identifierField.eq(identifier)).and(DataTable.DELETED_AT.isNull())
                .limit(2).fetch();
        if (rows.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(rows.get(0).value1(), rows.get(0).value2() == null ? "" : rows.get(0).value2()));
    }

    /** Every version of a row, oldest first, from the table's history. */
    public static List<ObjectNode> history(DSLContext db, DataTable table, UUID id) {
        List<String> selected = selected(List.of(), table);
        List<Field<?>> fields = new ArrayList<>(fields(selected, table));
        fields.addAll(List.of(DataTable.VERSION, DataTable.OPERATION, DataTable.VALID_FROM, DataTable.VALID_TO,
                DataTable.EVENT_ID, DataTable.ACTOR_TYPE, DataTable.ACTOR_ID));
        return db.select(fields).from(table.history()).where(DataTable.ID.eq(id)).orderBy(DataTable.VERSION)
                .fetch(record -> {
                    ObjectNode version = JSON.objectNode();
                    version.put("version", record.get(DataTable.VERSION));
                    version.put("operation", record.get(DataTable.OPERATION));
                    version.put("valid_from", instant(record.get(DataTable.VALID_FROM)));
                    version.put("valid_to", instant(record.get(DataTable.VALID_TO)));
                    version.put("event_id", record.get(DataTable.EVENT_ID));
                    ObjectNode actor = version.putObject("actor");
                    actor.put("type", record.get(DataTable.ACTOR_TYPE));
                    actor.put("id", record.get(DataTable.ACTOR_ID));
                    ObjectNode values = JSON.objectNode();
                    for (String column : selected) {
                        values.set(column, table.readable().get(column).toJson(record.get(table.field(column))));
                    }
                    version.set("values", values);
                    return version;
                });
    }

    /** Runs a rendered jOOQ select through JDBC, each row straight to JSON. */
    private static List<ObjectNode> rows(DSLContext db, ResultQuery<?> select, List<String> selected, DataTable table) {
        String sql = select.getSQL();
        List<Object> binds = select.getBindValues();
        List<ColumnType> types = selected.stream().map(column -> table.readable().get(column)).toList();
        return RowWrites.jdbc(db, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < binds.size(); i++) {
                    statement.setObject(i + 1, binds.get(i));
                }
                List<ObjectNode> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows.add(JdbcValues.row(result, 1, selected, types));
                    }
                }
                return rows;
            }
        });
    }

    private static Table<?> source(DataTable table, DataQuery query) {
        return query.asOf() == null ? table.table() : table.history();
    }

    private static Condition where(DataTable table, DataQuery query) {
        List<Condition> conditions = new ArrayList<>();
        if (query.asOf() != null) {
            OffsetDateTime at = query.asOf().atOffset(ZoneOffset.UTC);
            conditions.add(validAt(at));
        }
        if (!query.includeDeleted()) {
            conditions.add(DataTable.DELETED_AT.isNull());
        }
        for (DataQuery.Filter filter : query.filters()) {
            conditions.add(condition(filter, table));
        }
        if (query.search() != null && !query.search().isBlank()) {
            List<Field<String>> text = table.readable().entrySet().stream().filter(entry -> entry.getValue().textual())
                    .map(entry -> field(name(entry.getKey()), String.class)).toList();
            if (text.isEmpty()) {
                throw new BaserDbException(ErrorCode.INVALID_FILTER, "The table has no text columns to search",
                        Map.of("search", "needs at least one TEXT or VARCHAR column"));
            }
            Field<String> document = text.stream().map(f -> DSL.coalesce(f, DSL.inline("")))
                    .reduce((a, b) -> DSL.concat(a, DSL.inline(" "), b)).orElseThrow();
            conditions.add(DSL.condition("to_tsvector('simple', {0}) @@ plainto_tsquery('simple', {1})",
                    document, DSL.val(query.search())));
        }
        return DSL.and(conditions);
    }

    /** The versions valid at an instant: {@code valid_from <= at < valid_to} (an open version has no end). */
    private static Condition validAt(OffsetDateTime at) {
        return DataTable.VALID_FROM.le(at).and(DataTable.VALID_TO.isNull().or(DataTable.VALID_TO.gt(at)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition condition(DataQuery.Filter filter, DataTable table) {
        ColumnType type = table.readable().get(filter.column());
        if (type == null) {
            throw new BaserDbException(ErrorCode.INVALID_FILTER, "Unknown column in filter",
                    Map.of(filter.column(), "is not a column of this table"));
        }
        if (type.kind() == ColumnType.Kind.PASSWORD) {
            throw new BaserDbException(ErrorCode.INVALID_FILTER, "PASSWORD columns cannot be filtered",
                    Map.of(filter.column(), "is a PASSWORD column"));
        }
        Field column = table.field(filter.column());
        String op = filter.operator();
        try {
            return switch (op) {
                case "eq" -> column.eq(type.fromText(filter.value()));
                case "neq" -> column.ne(type.fromText(filter.value()));
                case "gt", "gte", "lt", "lte" -> {
                    if (!type.ordered()) {
                        throw new IllegalArgumentException("has no order");
                    }
                    Object value = type.fromText(filter.value());
                    yield switch (op) {
                        case "gt" -> column.gt(value);
                        case "gte" -> column.ge(value);
                        case "lt" -> column.lt(value);
                        default -> column.le(value);
                    };
                }
                case "like", "ilike" -> {
                    if (!type.textual()) {
                        throw new IllegalArgumentException("like and ilike need a text column");
                    }
                    String pattern = filter.value().replace('*', '%');
                    yield op.equals("like") ? column.like(pattern) : column.likeIgnoreCase(pattern);
                }
                case "in" -> {
                    String list = filter.value().trim();
                    if (!list.startsWith("(") || !list.endsWith(")")) {
                        throw new IllegalArgumentException("in needs a list such as in.(a,b)");
                    }
                    List<Object> values = new ArrayList<>();
                    for (String item : list.substring(1, list.length() - 1).split(",", -1)) {
                        values.add(type.fromText(item.trim()));
                    }
                    yield column.in(values);
                }
                case "is" -> switch (filter.value().trim().toLowerCase()) {
                    case "null" -> column.isNull();
                    case "not_null", "not.null" -> column.isNotNull();
                    case "true" -> column.isTrue();
                    case "false" -> column.isFalse();
                    default -> throw new IllegalArgumentException("is takes null, not_null, true or false");
                };
                default -> throw new IllegalArgumentException(
                        "unknown operator; use eq neq gt gte lt lte like ilike in is");
            };
        } catch (IllegalArgumentException e) {
            throw new BaserDbException(ErrorCode.INVALID_FILTER, "Invalid filter", Map.of(filter.column(), e.getMessage()));
        }
    }

    private static List<SortField<?>> order(List<DataQuery.Sort> order, DataTable table) {
        List<SortField<?>> sort = new ArrayList<>();
        for (DataQuery.Sort item : order) {
            ColumnType type = table.readable().get(item.column());
            if (type == null || !type.ordered()) {
                throw new BaserDbException(ErrorCode.INVALID_SORT, "Cannot sort by this column",
                        Map.of(item.column(), type == null ? "is not a column of this table" : "has no order"));
            }
            Field<?> field = table.field(item.column());
            sort.add(item.ascending() ? field.asc() : field.desc());
        }
        if (order.isEmpty()) {
            sort.add(DataTable.ID.desc());
        }
        return sort;
    }

    private static List<String> selected(List<String> select, DataTable table) {
        if (select == null || select.isEmpty()) {
            return new ArrayList<>(table.readable().keySet());
        }
        for (String column : select) {
            if (!table.readable().containsKey(column)) {
                throw new BaserDbException(ErrorCode.INVALID_FILTER, "Unknown column in select",
                        Map.of(column, "is not a column of this table"));
            }
        }
        return select;
    }

    private static List<Field<?>> fields(List<String> selected, DataTable table) {
        return selected.stream().<Field<?>>map(table::field).toList();
    }

    private static Field<Object> known(String column, DataTable table, ErrorCode code) {
        if (!table.readable().containsKey(column)) {
            throw new BaserDbException(code, "Unknown column", Map.of(column, "is not a column of this table"));
        }
        return table.field(column);
    }

    @SuppressWarnings("unchecked")
    private static Field<BigDecimal> numeric(Field<?> field) {
        return (Field<BigDecimal>) field.cast(SQLDataType.NUMERIC);
    }

    private static String instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }
}
