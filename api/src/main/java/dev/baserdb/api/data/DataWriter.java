package dev.baserdb.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Passwords;
import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.ColumnType;
import dev.baserdb.query.data.TableView;
import org.springframework.stereotype.Component;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns data-API writes into row commands: every value is checked against its column's type
 * (400 naming the column), unknown columns are refused, PASSWORD values are hashed before any
 * command exists. Constraints (not null, unique) and row-level security are PostgreSQL's, in the
 * command's transaction.
 */
@Component
class DataWriter {

    private final Commands commands;
    private final Passwords passwords;

    DataWriter(Commands commands, Passwords passwords) {
        this.commands = commands;
        this.passwords = passwords;
    }

    /** Inserts a row; returns its id. */
    String insert(TableView table, JsonNode body, String at) {
        ObjectNode values = checked(table, body, at, true);
        String rowId = rowId(values.remove("id"), at);
        commands.send(new InsertRow(rowId, new TableId(table.id()), new ProjectId(table.projectId()),
                new OrganizationId(table.organizationId()), values));
        return rowId;
    }

    void update(TableView table, String rowId, JsonNode body, String at) {
        ObjectNode changes = checked(table, body, at, false);
        if (changes.has("id")) {
            throw BaserDbException.invalid(at + "id", "cannot be changed");
        }
        if (changes.isEmpty()) {
            throw BaserDbException.invalid(at.isEmpty() ? "body" : at + "values", "must change at least one column");
        }
        commands.send(new UpdateRow(rowId, new TableId(table.id()), changes));
    }

    void delete(TableView table, String rowId) {
        commands.send(new DeleteRow(rowId, new TableId(table.id())));
    }

    void restore(TableView table, String rowId) {
        commands.send(new RestoreRow(rowId, new TableId(table.id())));
    }

    /** A row id from the path: a UUID, or the row does not exist. */
    static String pathRowId(String id) {
        return ColumnType.rowId(id).map(UUID::toString).orElseThrow(() -> BaserDbException.notFound("Row"));
    }

    private ObjectNode checked(TableView table, JsonNode body, String at, boolean insert) {
        if (body == null || !body.isObject()) {
            throw BaserDbException.invalid(at.isEmpty() ? "body" : at.substring(0, at.length() - 1),
                    "must be a JSON object of column values");
        }
        Map<String, ColumnType> types = table.columnTypes();
        Map<String, String> problems = new LinkedHashMap<>();
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String column = field.getKey();
            if (column.equals("id")) {
                values.set("id", field.getValue());
                continue;
            }
            ColumnType type = types.get(column);
            if (type == null) {
                problems.put(at + column, isSystemColumn(column) ? "is set by the platform" : "is not a column of this table");
                continue;
            }
            try {
                type.fromJson(field.getValue());
                if (type.kind() == ColumnType.Kind.PASSWORD && field.getValue().isTextual()) {
                    values.put(column, passwords.hash(field.getValue().asText()));
                } else {
                    values.set(column, field.getValue());
                }
            } catch (IllegalArgumentException e) {
                problems.put(at + column, e.getMessage());
            }
        }
        for (Column column : table.columns()) {
            JsonNode value = values.get(column.name());
            boolean missing = value == null ? insert && column.defaultValue() == null : value.isNull();
            if (!column.nullable() && missing) {
                problems.putIfAbsent(at + column.name(), "is required (NOT NULL)");
            }
        }
        if (!problems.isEmpty()) {
            throw new BaserDbException(ErrorCode.VALIDATION_FAILED, "Row validation failed", problems);
        }
        return values;
    }

    private static boolean isSystemColumn(String column) {
        return column.equals("created_at") || column.equals("updated_at") || column.equals("deleted_at");
    }

    private static String rowId(JsonNode id, String at) {
        if (id == null || id.isNull()) {
            return Ids.uuidV7().toString();
        }
        if (!id.isTextual()) {
            throw BaserDbException.invalid(at + "id", "must be a UUID");
        }
        return ColumnType.rowId(id.asText()).map(UUID::toString)
                .orElseThrow(() -> BaserDbException.invalid(at + "id", "must be a UUID"));
    }
}
