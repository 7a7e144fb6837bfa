package dev.baserdb.kernel.data;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read of a managed table through the data API (API.md §7), as the client wrote it: column
 * names and values are still text, checked against the table by {@link RowReads}.
 */
public record DataQuery(List<String> select, List<Filter> filters, List<Sort> order, int limit, int offset,
                        String search, boolean count, Instant asOf, boolean includeDeleted) {

    public static final int MAX_LIMIT = 1000;
    /** Parameters of a list; every other parameter is a filter. */
    public static final Set<String> LIST_PARAMETERS = Set.of("limit", "offset", "order", "select", "search", "count",
            "as_of", "include_deleted");
    /** Parameters of an aggregate; every other parameter is a filter. */
    public static final Set<String> AGGREGATE_PARAMETERS = Set.of("fn", "column", "group_by", "as_of",
            "include_deleted", "search");
    private static final Set<String> OPERATORS = Set.of("eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "in", "is");

    /** {@code column=operator.value}; operator is one of eq neq gt gte lt lte like ilike in is. */
    public record Filter(String column, String operator, String value) {
    }

    public record Sort(String column, boolean ascending) {
    }

    public static DataQuery filtersOnly(List<Filter> filters, Instant asOf, boolean includeDeleted) {
        return new DataQuery(List.of(), filters, List.of(), 1, 0, null, false, asOf, includeDeleted);
    }

    /**
     * The query of a data-API URL: {@code limit}, {@code offset}, {@code order=col.asc,col.desc},
     * {@code select=a,b}, {@code search}, {@code count=exact}, {@code as_of}, {@code include_deleted},
     * and every parameter that is neither of those nor of an aggregate a filter
     * {@code col=op.value} (a bare value is {@code eq}).
     */
    public static DataQuery parse(Map<String, List<String>> parameters) {
        int limit = integer(first(parameters, "limit"), 20, "limit");
        int offset = integer(first(parameters, "offset"), 0, "offset");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw BaserDbException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw BaserDbException.invalid("offset", "must not be negative");
        }
        List<Sort> order = new ArrayList<>();
        String orderText = first(parameters, "order");
        if (orderText != null && !orderText.isBlank()) {
            for (String item : orderText.split(",")) {
                String[] parts = item.trim().split("\\.");
                if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && !parts[1].matches("asc|desc"))) {
                    throw new BaserDbException(ErrorCode.INVALID_SORT, "order is col.asc or col.desc, comma-separated",
                            Map.of("order", item));
                }
                order.add(new Sort(parts[0], parts.length == 1 || parts[1].equals("asc")));
            }
        }
        List<String> select = new ArrayList<>();
        String selectText = first(parameters, "select");
        if (selectText != null && !selectText.isBlank()) {
            for (String column : selectText.split(",")) {
                select.add(column.trim());
            }
        }
        String count = first(parameters, "count");
        if (count != null && !count.equals("exact")) {
            throw BaserDbException.invalid("count", "must be exact");
        }
        List<Filter> filters = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (LIST_PARAMETERS.contains(parameter.getKey()) || AGGREGATE_PARAMETERS.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                int dot = value.indexOf('.');
                String operator = dot > 0 ? value.substring(0, dot) : "";
                filters.add(OPERATORS.contains(operator) ? new Filter(parameter.getKey(), operator, value.substring(dot + 1))
                        : new Filter(parameter.getKey(), "eq", value));
            }
        }
        return new DataQuery(select, filters, order, limit, offset, first(parameters, "search"),
                "exact".equals(count), asOf(first(parameters, "as_of")),
                "true".equals(first(parameters, "include_deleted")));
    }

    /** An {@code as_of} parameter: an RFC 3339 instant, or null when absent. */
    public static Instant asOf(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw BaserDbException.invalid("as_of", "must be an RFC 3339 instant such as 2026-11-22T10:15:30Z");
        }
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int integer(String value, int fallback, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw BaserDbException.invalid(name, "must be an integer");
        }
    }
}
