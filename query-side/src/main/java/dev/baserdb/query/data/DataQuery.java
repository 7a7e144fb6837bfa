package dev.baserdb.query.data;

import java.time.Instant;
import java.util.List;

/**
 * A read of a managed table through the data API (API.md §7), as the client wrote it: column
 * names and values are still text, checked against the table by {@link DataReader}.
 */
public record DataQuery(List<String> select, List<Filter> filters, List<Sort> order, int limit, int offset,
                        String search, boolean count, Instant asOf, boolean includeDeleted) {

    /** {@code column=operator.value}; operator is one of eq neq gt gte lt lte like ilike in is. */
    public record Filter(String column, String operator, String value) {
    }

    public record Sort(String column, boolean ascending) {
    }

    public static DataQuery filtersOnly(List<Filter> filters, Instant asOf, boolean includeDeleted) {
        return new DataQuery(List.of(), filters, List.of(), 1, 0, null, false, asOf, includeDeleted);
    }
}
