package dev.baserdb.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.ColumnType;
import dev.baserdb.kernel.table.Identifiers;
import dev.baserdb.kernel.table.SystemColumns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads column definitions from request JSON and checks each (API.md §6), naming the field at fault. */
final class ColumnSpecs {

    private ColumnSpecs() {
    }

    static List<Column> columns(JsonNode columns) {
        if (columns == null || columns.isNull() || columns.isMissingNode()) {
            return List.of();
        }
        if (!columns.isArray()) {
            throw BaserDbException.invalid("columns", "must be an array");
        }
        if (columns.size() > 1000) {
            throw BaserDbException.invalid("columns", "at most 1000 columns");
        }
        List<Column> result = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            result.add(column(columns.get(i), "columns[" + i + "]."));
        }
        return result;
    }

    static Column column(JsonNode spec, String prefix) {
        if (spec == null || !spec.isObject()) {
            throw BaserDbException.invalid(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be an object {name, type, nullable?, default?, unique?}");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        String name = spec.path("name").isTextual() ? spec.path("name").asText() : null;
        Identifiers.problem(name).ifPresent(problem -> problems.put(prefix + "name", problem));
        if (!problems.containsKey(prefix + "name")) {
            SystemColumns.problem(name).ifPresent(problem -> problems.put(prefix + "name", problem));
        }
        String typeText = spec.path("type").isTextual() ? spec.path("type").asText() : null;
        ColumnType type = ColumnType.parse(typeText).orElse(null);
        if (type == null) {
            problems.put(prefix + "type", "must be one of INT BIGINT VARCHAR(n) TEXT BOOLEAN DECIMAL(p,s) FLOAT "
                    + "DATE TIMESTAMP TIMESTAMPTZ UUID JSON PASSWORD");
        }
        JsonNode nullable = spec.path("nullable");
        if (!nullable.isMissingNode() && !nullable.isNull() && !nullable.isBoolean()) {
            problems.put(prefix + "nullable", "must be true or false");
        }
        JsonNode unique = spec.path("unique");
        if (!unique.isMissingNode() && !unique.isNull() && !unique.isBoolean()) {
            problems.put(prefix + "unique", "must be true or false");
        }
        JsonNode defaultValue = spec.get("default");
        String defaultJson = null;
        if (type != null && defaultValue != null && !defaultValue.isNull()) {
            if (type.kind() == ColumnType.Kind.PASSWORD) {
                problems.put(prefix + "default", "PASSWORD columns take no default");
            } else {
                try {
                    JsonNode normalized = defaultValue;
                    if (type.kind() == ColumnType.Kind.BOOLEAN && defaultValue.isTextual()) {
                        normalized = switch (defaultValue.asText().toLowerCase()) {
                            case "true" -> com.fasterxml.jackson.databind.node.BooleanNode.TRUE;
                            case "false" -> com.fasterxml.jackson.databind.node.BooleanNode.FALSE;
                            default -> defaultValue;
                        };
                    }
                    type.fromJson(normalized);
                    defaultJson = normalized.toString();
                } catch (IllegalArgumentException e) {
                    problems.put(prefix + "default", e.getMessage());
                }
            }
        }
        if (type != null && type.kind() == ColumnType.Kind.PASSWORD && unique.asBoolean(false)) {
            problems.put(prefix + "unique", "PASSWORD columns cannot be unique");
        }
        if (!problems.isEmpty()) {
            throw new BaserDbException(dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED,
                    "Request validation failed", problems);
        }
        return new Column(name, type.canonical(), nullable.asBoolean(true), defaultJson, unique.asBoolean(false));
    }
}
