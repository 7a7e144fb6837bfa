package dev.baserdb.query.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.ColumnType;
import dev.baserdb.kernel.table.Policy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A managed table as it is (or was): where it lives, its columns, indexes and policies. */
public record TableView(String id, String projectId, String organizationId, String groupId, String schema,
                        String name, List<Column> columns, JsonNode indexes, List<Policy> policies,
                        Instant createdAt, Instant updatedAt, long version) {

    /** User columns by name, with their parsed types. */
    public Map<String, ColumnType> columnTypes() {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        columns.forEach(column -> types.put(column.name(), ColumnType.parse(column.type()).orElseThrow()));
        return types;
    }

    public String historyTable() {
        return "h_" + id.substring(id.indexOf('_') + 1);
    }
}
