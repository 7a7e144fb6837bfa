package dev.baserdb.kernel.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.table.ColumnType;
import org.jooq.JSONB;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Column values between JDBC and JSON, by column type: what the data plane binds when it writes a
 * row and how a row it reads becomes JSON, without an intermediate record.
 */
final class JdbcValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JdbcValues() {
    }

    /** The SQL placeholder of a value of {@code type} ({@code jsonb} needs a cast from text). */
    static String placeholder(ColumnType type) {
        return type.kind() == ColumnType.Kind.JSON ? "?::jsonb" : "?";
    }

    /** Binds a value as {@link ColumnType#fromJson} gives it (null binds SQL NULL of the type). */
    static void bind(PreparedStatement statement, int index, ColumnType type, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType(type));
            return;
        }
        switch (type.kind()) {
            case INT -> statement.setInt(index, (Integer) value);
            case BIGINT -> statement.setLong(index, (Long) value);
            case VARCHAR, TEXT, PASSWORD -> statement.setString(index, (String) value);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case DECIMAL -> statement.setBigDecimal(index, (BigDecimal) value);
            case FLOAT -> statement.setDouble(index, (Double) value);
            case JSON -> statement.setString(index, value instanceof JSONB json ? json.data() : value.toString());
            default -> statement.setObject(index, value);
        }
    }

    private static int sqlType(ColumnType type) {
        return switch (type.kind()) {
            case INT -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case BOOLEAN -> Types.BOOLEAN;
            case DECIMAL -> Types.NUMERIC;
            case FLOAT -> Types.DOUBLE;
            case DATE -> Types.DATE;
            case TIMESTAMP -> Types.TIMESTAMP;
            case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            case UUID -> Types.OTHER;
            default -> Types.VARCHAR;
        };
    }

    /**
     * The JSON of column {@code index} of the current row, as {@link ColumnType#toJson} writes it
     * (PASSWORD values always read as null). Date and time columns are read as java.time values.
     */
    static JsonNode read(ResultSet rows, int index, ColumnType type) throws SQLException {
        Object value = switch (type.kind()) {
            case TIMESTAMPTZ -> rows.getObject(index, OffsetDateTime.class);
            case TIMESTAMP -> rows.getObject(index, LocalDateTime.class);
            case DATE -> rows.getObject(index, LocalDate.class);
            case PASSWORD -> null;
            default -> rows.getObject(index);
        };
        return type.toJson(value);
    }

    /** The current row as JSON: {@code columns[i]} is column {@code first + i} of the result. */
    static ObjectNode row(ResultSet rows, int first, List<String> columns, List<ColumnType> types) throws SQLException {
        ObjectNode row = JSON.objectNode();
        for (int i = 0; i < columns.size(); i++) {
            row.set(columns.get(i), read(rows, first + i, types.get(i)));
        }
        return row;
    }
}
