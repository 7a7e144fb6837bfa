package dev.baserdb.query.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.table.ColumnType;
import org.jooq.AggregateFunction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Reads managed tables for the data API with dynamic jOOQ SQL: every identifier is checked against
 * the table's columns and quoted, every value is a bind parameter. Reads of callers without the
 * bypass run under their project's data role in an authenticator session ({@link RoleSessions}),
 * so PostgreSQL's row-level security filters the rows. Every read runs under the data plane's
 * statement timeout.
 * {@code as_of} reads come from the table's history of row versions.
 */
@Service
public class DataReader {

    /** The columns every table has, with their types. */
    static final Map<String, ColumnType> SYSTEM_COLUMNS = Map.of(
            "id", ColumnType.parse("UUID").orElseThrow(),
            "created_at", ColumnType.parse("TIMESTAMPTZ").orElseThrow(),
            "updated_at", ColumnType.parse("TIMESTAMPTZ").orElseThrow(),
            "deleted_at", ColumnType.parse("TIMESTAMPTZ").orElseThrow());

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public record Page(List<ObjectNode> rows, Long total) {
    }

    private final DSLContext owner;
    private final DSLContext operatorReads;
    private final RoleSessions sessions;

    public DataReader(DSLContext db, @Qualifier(DatabaseRoles.OPERATOR_READ_POOL) DataSource operatorReads,
                      RoleSessions sessions) {
        this.owner = db;
        this.operatorReads = DSL.using(operatorReads, SQLDialect.POSTGRES);
        this.sessions = sessions;
    }

    public Page list(TableView table, DataQuery query, DataCaller caller) {
        Map<String, ColumnType> columns = columns(table);
        List<String> selected = selected(query.select(), columns);
        Condition where = where(table, query, columns);
        List<SortField<?>> order = order(query.order(), columns);
        Table<?> source = source(table, query);
        return as(caller, table, db -> {
            List<ObjectNode> rows = db.select(fields(selected, columns)).from(source).where(where).orderBy(order)
                    .limit(query.limit()).offset(query.offset())
                    .fetch(record -> toJson(record, selected, columns));
            Long total = query.count() ? (long) db.fetchCount(source, where) : null;
            return new Page(rows, total);
        });
    }

    public long count(TableView table, DataQuery query, DataCaller caller) {
        Map<String, ColumnType> columns = columns(table);
        Condition where = where(table, query, columns);
        Table<?> source = source(table, query);
        return as(caller, table, db -> (long) db.fetchCount(source, where));
    }

    public Optional<ObjectNode> get(TableView table, UUID id, java.time.Instant asOf, boolean includeDeleted,
                                    DataCaller caller) {
        Map<String, ColumnType> columns = columns(table);
        List<String> selected = selected(List.of(), columns);
        DataQuery query = DataQuery.filtersOnly(List.of(), asOf, includeDeleted);
        Condition where = where(table, query, columns).and(field(name("id"), UUID.class).eq(id));
        return as(caller, table, db -> db.select(fields(selected, columns)).from(source(table, query)).where(where)
                .fetchOptional(record -> toJson(record, selected, columns)));
    }

    /** {@code fn} of {@code column} (count needs none), optionally per value of {@code groupBy}. */
    public List<ObjectNode> aggregate(TableView table, String fn, String column, String groupBy, DataQuery query,
                                      DataCaller caller) {
        Map<String, ColumnType> columns = columns(table);
        Field<?> target = column == null ? null : known(column, columns, ErrorCode.INVALID_FILTER);
        AggregateFunction<?> value = switch (fn == null ? "" : fn) {
            case "count" -> target == null ? DSL.count() : DSL.count(target);
            case "sum", "avg" -> {
                requireNumeric(column, columns);
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
        Field<?> group = groupBy == null ? null : known(groupBy, columns, ErrorCode.INVALID_FILTER);
        Condition where = where(table, query, columns);
        Table<?> source = source(table, query);
        return as(caller, table, db -> {
            List<Field<?>> selected = new ArrayList<>();
            if (group != null) {
                selected.add(group);
            }
            selected.add(value.as("value"));
            var select = db.select(selected).from(source).where(where);
            var result = group == null ? select.fetch() : select.groupBy(group).orderBy(group).fetch();
            List<ObjectNode> rows = new ArrayList<>();
            for (Record record : result) {
                ObjectNode row = JSON.objectNode();
                if (group != null) {
                    row.set(groupBy, columns.get(groupBy).toJson(record.get(0)));
                }
                Object aggregated = record.get("value");
                row.set("value", aggregated == null ? JSON.nullNode()
                        : aggregated instanceof Number n ? JSON.numberNode(new java.math.BigDecimal(n.toString()))
                        : columns.get(column).toJson(aggregated));
                rows.add(row);
            }
            return rows;
        });
    }

    /** A row's id and stored password hash, for the data login; empty unless exactly one live row matches. */
    public Optional<Map.Entry<UUID, String>> credential(TableView table, String identifierColumn, Object identifier,
                                                        String passwordColumn) {
        Map<String, ColumnType> columns = columns(table);
        Field<Object> identifierField = (Field<Object>) known(identifierColumn, columns, ErrorCode.VALIDATION_FAILED);
        var rows = owner.select(field(name("id"), UUID.class), field(name(passwordColumn), String.class))
                .from(table(name(table.schema(), table.name())))
                .where(identifierField.eq(identifier)).and(field(name("deleted_at")).isNull())
                .limit(2).fetch();
        if (rows.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(rows.get(0).value1(), rows.get(0).value2() == null ? "" : rows.get(0).value2()));
    }

    /** Every version of a row, oldest first, from the table's history (operators only). */
    public List<ObjectNode> history(TableView table, UUID id) {
        Map<String, ColumnType> columns = columns(table);
        List<String> selected = selected(List.of(), columns);
        List<Field<?>> fields = new ArrayList<>(fields(selected, columns));
        fields.add(field(name("version"), Long.class));
        fields.add(field(name("operation"), String.class));
        fields.add(field(name("valid_from"), OffsetDateTime.class));
        fields.add(field(name("valid_to"), OffsetDateTime.class));
        fields.add(field(name("event_id"), String.class));
        fields.add(field(name("actor_type"), String.class));
        fields.add(field(name("actor_id"), String.class));
        return as(DataCaller.BYPASS, table, db -> db.select(fields).from(table(name(table.schema(), table.historyTable())))
                .where(field(name("row_id"), UUID.class).eq(id))
                .orderBy(field(name("version")))
                .fetch(record -> {
                    ObjectNode version = JSON.objectNode();
                    version.put("version", record.get("version", Long.class));
                    version.put("operation", record.get("operation", String.class));
                    version.put("valid_from", instant(record.get("valid_from", OffsetDateTime.class)));
                    version.put("valid_to", instant(record.get("valid_to", OffsetDateTime.class)));
                    version.put("event_id", record.get("event_id", String.class));
                    ObjectNode actor = version.putObject("actor");
                    actor.put("type", record.get("actor_type", String.class));
                    actor.put("id", record.get("actor_id", String.class));
                    version.set("values", toJson(record, selected, columns));
                    return version;
                }));
    }

    /**
     * Runs a read: under the caller's project role in an authenticator session, or, for callers who
     * bypass policies, as the owner on the operator-read pool, whose sessions carry the statement
     * timeout. Inside a command's transaction (a data-API transaction reading its own writes) the
     * read joins that transaction instead.
     */
    private <T> T as(DataCaller caller, TableView table, Function<DSLContext, T> read) {
        if (!caller.bypasses()) {
            return sessions.read(table.projectId(), caller.role(), caller.userId(), read);
        }
        return read.apply(TransactionSynchronizationManager.isActualTransactionActive() ? owner : operatorReads);
    }

    private static Table<?> source(TableView table, DataQuery query) {
        Name name = query.asOf() == null ? name(table.schema(), table.name()) : name(table.schema(), table.historyTable());
        return table(name);
    }

    private static Condition where(TableView table, DataQuery query, Map<String, ColumnType> columns) {
        List<Condition> conditions = new ArrayList<>();
        if (query.asOf() != null) {
            OffsetDateTime at = query.asOf().atOffset(ZoneOffset.UTC);
            Field<OffsetDateTime> from = field(name("valid_from"), OffsetDateTime.class);
            Field<OffsetDateTime> to = field(name("valid_to"), OffsetDateTime.class);
            conditions.add(from.le(at).and(to.isNull().or(to.gt(at))));
        }
        if (!query.includeDeleted()) {
            conditions.add(field(name("deleted_at")).isNull());
        }
        for (DataQuery.Filter filter : query.filters()) {
            conditions.add(condition(filter, columns));
        }
        if (query.search() != null && !query.search().isBlank()) {
            List<Field<String>> text = columns.entrySet().stream().filter(entry -> entry.getValue().textual())
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition condition(DataQuery.Filter filter, Map<String, ColumnType> columns) {
        ColumnType type = columns.get(filter.column());
        if (type == null) {
            throw new BaserDbException(ErrorCode.INVALID_FILTER, "Unknown column in filter",
                    Map.of(filter.column(), "is not a column of this table"));
        }
        if (type.kind() == ColumnType.Kind.PASSWORD) {
            throw new BaserDbException(ErrorCode.INVALID_FILTER, "PASSWORD columns cannot be filtered",
                    Map.of(filter.column(), "is a PASSWORD column"));
        }
        Field column = field(name(filter.column()), type.dataType());
        String op = filter.operator();
        try {
            return switch (op) {
                case "eq" -> column.eq(value(type, filter.value()));
                case "neq" -> column.ne(value(type, filter.value()));
                case "gt", "gte", "lt", "lte" -> {
                    if (!type.ordered()) {
                        throw new IllegalArgumentException("has no order");
                    }
                    Object value = value(type, filter.value());
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
                        values.add(value(type, item.trim()));
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
            throw new BaserDbException(ErrorCode.INVALID_FILTER, "Invalid filter",
                    Map.of(filter.column(), e.getMessage()));
        }
    }

    private static Object value(ColumnType type, String text) {
        return type.fromText(text);
    }

    private static List<SortField<?>> order(List<DataQuery.Sort> order, Map<String, ColumnType> columns) {
        List<SortField<?>> sort = new ArrayList<>();
        for (DataQuery.Sort item : order) {
            ColumnType type = columns.get(item.column());
            if (type == null || !type.ordered()) {
                throw new BaserDbException(ErrorCode.INVALID_SORT, "Cannot sort by this column",
                        Map.of(item.column(), type == null ? "is not a column of this table" : "has no order"));
            }
            Field<?> field = field(name(item.column()), type.dataType());
            sort.add(item.ascending() ? field.asc() : field.desc());
        }
        if (order.isEmpty()) {
            sort.add(field(name("id")).desc());
        }
        return sort;
    }

    private static List<String> selected(List<String> select, Map<String, ColumnType> columns) {
        if (select == null || select.isEmpty()) {
            return new ArrayList<>(columns.keySet());
        }
        for (String column : select) {
            if (!columns.containsKey(column)) {
                throw new BaserDbException(ErrorCode.INVALID_FILTER, "Unknown column in select",
                        Map.of(column, "is not a column of this table"));
            }
        }
        return select;
    }

    private static List<Field<?>> fields(List<String> selected, Map<String, ColumnType> columns) {
        return selected.stream().<Field<?>>map(column -> field(name(column), columns.get(column).dataType())).toList();
    }

    private static ObjectNode toJson(Record record, List<String> selected, Map<String, ColumnType> columns) {
        ObjectNode row = JSON.objectNode();
        for (String column : selected) {
            row.set(column, columns.get(column).toJson(record.get(column)));
        }
        return row;
    }

    /** System columns first, then the table's own. */
    private static Map<String, ColumnType> columns(TableView table) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        columns.put("id", SYSTEM_COLUMNS.get("id"));
        columns.put("created_at", SYSTEM_COLUMNS.get("created_at"));
        columns.put("updated_at", SYSTEM_COLUMNS.get("updated_at"));
        columns.putAll(table.columnTypes());
        return columns;
    }

    @SuppressWarnings("unchecked")
    private static Field<?> known(String column, Map<String, ColumnType> columns, ErrorCode code) {
        ColumnType type = columns.get(column);
        if (type == null) {
            throw new BaserDbException(code, "Unknown column", Map.of(column, "is not a column of this table"));
        }
        return field(name(column), type.dataType());
    }

    private static void requireNumeric(String column, Map<String, ColumnType> columns) {
        if (column == null || !columns.containsKey(column) || !columns.get(column).numeric()) {
            throw new BaserDbException(ErrorCode.INVALID_FILTER, "sum and avg need a numeric column",
                    Map.of("column", "is required and must be numeric"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Field<java.math.BigDecimal> numeric(Field<?> field) {
        return (Field<java.math.BigDecimal>) field.cast(SQLDataType.NUMERIC);
    }

    private static String instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }


}
