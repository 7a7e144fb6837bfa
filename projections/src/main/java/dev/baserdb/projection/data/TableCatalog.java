package dev.baserdb.projection.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.ColumnType;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.TableTables.Tables;
import static dev.baserdb.kernel.readmodel.TableTables.historyTableName;
import static org.jooq.impl.DSL.field;

/** Where a managed table lives and what its columns are, as the data plane needs them to write rows. */
@Component
class TableCatalog {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Column>> COLUMNS = new TypeReference<>() {
    };

    /** A managed table's physical names and typed user columns. */
    record Physical(String tableId, String projectId, String schema, String name, Map<String, ColumnType> columns) {

        Name table() {
            return DSL.name(schema, name);
        }

        Name history() {
            return DSL.name(schema, historyTableName(tableId.substring(4)));
        }

        Field<Object> column(String column) {
            @SuppressWarnings("unchecked")
            Field<Object> typed = (Field<Object>) field(DSL.name(column), columns.get(column).dataType());
            return typed;
        }
    }

    private final DSLContext db;

    TableCatalog(DSLContext db) {
        this.db = db;
    }

    Physical current(String tableId) {
        Record row = db.selectFrom(Tables.TABLE).where(Tables.ID.eq(tableId)).and(Tables.PERIOD.current()).fetchOne();
        if (row == null) {
            throw new IllegalStateException("No managed table " + tableId);
        }
        return physical(row);
    }

    static Physical physical(Record row) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        for (Column column : columns(row.get(Tables.COLUMNS))) {
            columns.put(column.name(), ColumnType.parse(column.type()).orElseThrow());
        }
        return new Physical(row.get(Tables.ID), row.get(Tables.PROJECT_ID), row.get(Tables.SCHEMA_NAME),
                row.get(Tables.NAME), columns);
    }

    static List<Column> columns(String json) {
        try {
            return JSON.readValue(json, COLUMNS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable columns in the tables read model", e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
