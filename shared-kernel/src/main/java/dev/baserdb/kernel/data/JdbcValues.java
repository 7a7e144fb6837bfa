package dev.baserdb.kernel.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.table.ColumnType;
import org.jooq.JSONB;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Column values between JDBC and JSON, by column type: what the data plane binds when it writes a
 * row and how a row it reads becomes JSON, without an intermediate record.
 */
final class JdbcValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    /** The JSON of column {@code index} of the current row. PASSWORD values always read as null. */
    static JsonNode read(ResultSet rows, int index, ColumnType type) throws SQLException {
        JsonNode value = switch (type.kind()) {
            case INT -> {
                int number = rows.getInt(index);
                yield rows.wasNull() ? null : JSON.numberNode(number);
            }
            case BIGINT -> {
                long number = rows.getLong(index);
                yield rows.wasNull() ? null : JSON.numberNode(number);
            }
            case FLOAT -> {
                double number = rows.getDouble(index);
                yield rows.wasNull() ? null : JSON.numberNode(number);
            }
            case BOOLEAN -> {
                boolean bool = rows.getBoolean(index);
                yield rows.wasNull() ? null : JSON.booleanNode(bool);
            }
            case DECIMAL -> {
                BigDecimal number = rows.getBigDecimal(index);
                yield number == null ? null : JSON.numberNode(number);
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime time = rows.getObject(index, OffsetDateTime.class);
                yield time == null ? null : JSON.textNode(time.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
            }
            case TIMESTAMP -> {
                LocalDateTime time = rows.getObject(index, LocalDateTime.class);
                yield time == null ? null : JSON.textNode(time.toString());
            }
            case DATE -> {
                LocalDate date = rows.getObject(index, LocalDate.class);
                yield date == null ? null : JSON.textNode(date.toString());
            }
            case UUID -> {
                UUID id = rows.getObject(index, UUID.class);
                yield id == null ? null : JSON.textNode(id.toString());
            }
            case JSON -> {
                String text = rows.getString(index);
                yield text == null ? null : json(text);
            }
            case PASSWORD -> null;
            default -> {
                String text = rows.getString(index);
                yield text == null ? null : JSON.textNode(text);
            }
        };
        return value == null ? JSON.nullNode() : value;
    }

    /** The current row as JSON: {@code columns[i]} is column {@code first + i} of the result. */
    static ObjectNode row(ResultSet rows, int first, List<String> columns, List<ColumnType> types) throws SQLException {
        ObjectNode row = JSON.objectNode();
        for (int i = 0; i < columns.size(); i++) {
            row.set(columns.get(i), read(rows, first + i, types.get(i)));
        }
        return row;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return JSON.textNode(text);
        }
    }
}
