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
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.data.RowCommands;
import dev.baserdb.kernel.data.RowCommands.WriteRows;
import dev.baserdb.kernel.data.WrittenRows;
import dev.baserdb.query.data.DataReader;
import org.springframework.stereotype.Component;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final DataReader reader;
    private final InsertGroups groups;

    DataWriter(Commands commands, Passwords passwords, DataReader reader, InsertGroups groups) {
        this.commands = commands;
        this.passwords = passwords;
        this.reader = reader;
        this.groups = groups;
    }

    /** Inserts a row; returns the row as written. */
    ObjectNode insert(DataTable table, JsonNode body) {
        InsertRow insert = insertCommand(table, body, "");
        return row(groups.insert(insert), table, insert.rowId());
    }

    ObjectNode update(DataTable table, String rowId, JsonNode body) {
        UpdateRow update = updateCommand(table, rowId, body, "");
        return written(table, rowId, () -> commands.send(update));
    }

    void delete(DataTable table, String rowId) {
        commands.send(new DeleteRow(rowId, new TableId(table.id())));
    }

    ObjectNode restore(DataTable table, String rowId) {
        return written(table, rowId, () -> commands.send(new RestoreRow(rowId, new TableId(table.id()))));
    }

    /**
     * Several row commands as one unit of work, all or none; returns the rows as written by id (the
     * last write of each).
     */
    Map<String, ObjectNode> all(List<RowCommands> batch) {
        return WrittenRows.during(() -> commands.send(new WriteRows(batch)));
    }

    /** The command of an insert; {@code at} prefixes the names of refused fields ({@code rows[3].}). */
    InsertRow insertCommand(DataTable table, JsonNode body, String at) {
        ObjectNode values = checked(table, body, at, true);
        String rowId = rowId(values.remove("id"), at);
        return new InsertRow(rowId, new TableId(table.id()), new ProjectId(table.projectId()),
                new OrganizationId(table.organizationId()), values);
    }

    UpdateRow updateCommand(DataTable table, String rowId, JsonNode body, String at) {
        ObjectNode changes = checked(table, body, at, false);
        if (changes.has("id")) {
            throw BaserDbException.invalid(at + "id", "cannot be changed");
        }
        if (changes.isEmpty()) {
            throw BaserDbException.invalid(at.isEmpty() ? "body" : at + "values", "must change at least one column");
        }
        return new UpdateRow(rowId, new TableId(table.id()), changes);
    }

    /** Runs a write and answers the row as the data plane wrote it. */
    private ObjectNode written(DataTable table, String rowId, Runnable write) {
        return row(WrittenRows.during(write), table, rowId);
    }

    /**
     * A row as a write of this request left it: from the receipt, or read back past the policies
     * (the caller just wrote it) when the write happened elsewhere (another node's handler).
     */
    ObjectNode row(Map<String, ObjectNode> receipt, DataTable table, String rowId) {
        ObjectNode row = receipt.get(rowId);
        return row != null ? row : reader.get(table, UUID.fromString(rowId), null, true, DataCaller.BYPASS)
                .orElseThrow(() -> BaserDbException.notFound("Row"));
    }

    /** A row id from the path: a UUID, or the row does not exist. */
    static String pathRowId(String id) {
        return ColumnType.rowId(id).map(UUID::toString).orElseThrow(() -> BaserDbException.notFound("Row"));
    }

    private ObjectNode checked(DataTable table, JsonNode body, String at, boolean insert) {
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
        return DataTable.SYSTEM_COLUMNS.containsKey(column);
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
