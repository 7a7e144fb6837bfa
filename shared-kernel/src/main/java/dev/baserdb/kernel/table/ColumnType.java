package dev.baserdb.kernel.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.jooq.DataType;
import org.jooq.JSONB;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The column types of API.md §6 ({@code INT BIGINT VARCHAR(n) TEXT BOOLEAN DECIMAL(p,s) FLOAT DATE
 * TIMESTAMP TIMESTAMPTZ UUID JSON PASSWORD}): how each is written in SQL, bound with jOOQ, checked
 * from JSON, and shown back as JSON.
 */
public record ColumnType(Kind kind, int length, int precision, int scale) {

    public enum Kind { INT, BIGINT, VARCHAR, TEXT, BOOLEAN, DECIMAL, FLOAT, DATE, TIMESTAMP, TIMESTAMPTZ, UUID, JSON, PASSWORD }

    private static final Pattern TYPE = Pattern.compile(
            "^\\s*([A-Za-z]+)\\s*(?:\\(\\s*(\\d{1,5})\\s*(?:,\\s*(\\d{1,5})\\s*)?\\))?\\s*$");

    /** Parses a type as a user writes it (case-insensitive); empty when it is not one of §6. */
    public static Optional<ColumnType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TYPE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Kind kind;
        try {
            kind = Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Integer first = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer second = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        return switch (kind) {
            case VARCHAR -> first != null && second == null && first >= 1 && first <= 10485760
                    ? Optional.of(new ColumnType(kind, first, 0, 0)) : Optional.empty();
            case DECIMAL -> {
                int precision = first == null ? 18 : first;
                int scale = second == null ? 0 : second;
                yield precision >= 1 && precision <= 1000 && scale <= precision
                        ? Optional.of(new ColumnType(kind, 0, precision, scale)) : Optional.empty();
            }
            default -> first == null ? Optional.of(new ColumnType(kind, 0, 0, 0)) : Optional.empty();
        };
    }

    /** The canonical spelling, as stored in events ({@code VARCHAR(40)}, {@code DECIMAL(10,2)}). */
    public String canonical() {
        return switch (kind) {
            case VARCHAR -> "VARCHAR(" + length + ")";
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            default -> kind.name();
        };
    }

    public String sql() {
        return switch (kind) {
            case INT -> "integer";
            case BIGINT -> "bigint";
            case VARCHAR -> "varchar(" + length + ")";
            case TEXT, PASSWORD -> "text";
            case BOOLEAN -> "boolean";
            case DECIMAL -> "numeric(" + precision + "," + scale + ")";
            case FLOAT -> "double precision";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case UUID -> "uuid";
            case JSON -> "jsonb";
        };
    }

    public DataType<?> dataType() {
        return switch (kind) {
            case INT -> SQLDataType.INTEGER;
            case BIGINT -> SQLDataType.BIGINT;
            case VARCHAR -> SQLDataType.VARCHAR(length);
            case TEXT, PASSWORD -> SQLDataType.CLOB;
            case BOOLEAN -> SQLDataType.BOOLEAN;
            case DECIMAL -> SQLDataType.NUMERIC(precision, scale);
            case FLOAT -> SQLDataType.DOUBLE;
            case DATE -> SQLDataType.LOCALDATE;
            case TIMESTAMP -> SQLDataType.LOCALDATETIME;
            case TIMESTAMPTZ -> SQLDataType.OFFSETDATETIME;
            case UUID -> SQLDataType.UUID;
            case JSON -> SQLDataType.JSONB;
        };
    }

    /** Whether values of this type take part in full-text search. */
    public boolean textual() {
        return kind == Kind.TEXT || kind == Kind.VARCHAR;
    }

    /** Whether the type has an order (range filters, sorting, min/max). */
    public boolean ordered() {
        return kind != Kind.JSON && kind != Kind.BOOLEAN && kind != Kind.PASSWORD;
    }

    public boolean numeric() {
        return kind == Kind.INT || kind == Kind.BIGINT || kind == Kind.DECIMAL || kind == Kind.FLOAT;
    }

    /**
     * The Java value of a JSON value for this column; {@code null} for JSON null.
     *
     * @throws IllegalArgumentException with a message for the client when the value does not fit
     */
    public Object fromJson(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return switch (kind) {
            case INT -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new IllegalArgumentException("must be an integer (32 bit)");
                }
                yield value.intValue();
            }
            case BIGINT -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new IllegalArgumentException("must be an integer (64 bit)");
                }
                yield value.longValue();
            }
            case VARCHAR, TEXT, PASSWORD -> {
                if (!value.isTextual()) {
                    throw new IllegalArgumentException("must be a string");
                }
                if (kind == Kind.VARCHAR && value.asText().codePointCount(0, value.asText().length()) > length) {
                    throw new IllegalArgumentException("must be at most " + length + " characters");
                }
                if (value.asText().indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("must not contain NUL characters");
                }
                yield value.asText();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("must be true or false");
                }
                yield value.booleanValue();
            }
            case DECIMAL -> {
                BigDecimal number = value.isNumber() ? value.decimalValue()
                        : value.isTextual() ? decimal(value.asText()) : null;
                if (number == null) {
                    throw new IllegalArgumentException("must be a number");
                }
                if (number.scale() > scale) {
                    number = number.setScale(scale, java.math.RoundingMode.HALF_EVEN);
                }
                if (number.precision() - number.scale() > precision - scale) {
                    throw new IllegalArgumentException("must have at most " + (precision - scale) + " digits before the point");
                }
                yield number;
            }
            case FLOAT -> {
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("must be a number");
                }
                yield value.doubleValue();
            }
            case DATE -> {
                try {
                    yield LocalDate.parse(text(value, "a date such as 2026-11-22"));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be a date such as 2026-11-22");
                }
            }
            case TIMESTAMP -> {
                try {
                    yield LocalDateTime.parse(text(value, "a timestamp such as 2026-11-22T10:15:30"));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be a timestamp such as 2026-11-22T10:15:30");
                }
            }
            case TIMESTAMPTZ -> {
                try {
                    yield OffsetDateTime.parse(text(value, "an RFC 3339 instant")).withOffsetSameInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be an RFC 3339 instant such as 2026-11-22T10:15:30Z");
                }
            }
            case UUID -> {
                try {
                    yield java.util.UUID.fromString(text(value, "a UUID"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be a UUID");
                }
            }
            case JSON -> JSONB.valueOf(value.toString());
        };
    }

    /**
     * The Java value of a value written in a URL (a filter): numbers and booleans are read as such,
     * everything else as a JSON string.
     *
     * @throws IllegalArgumentException with a message for the client when the value does not fit
     */
    public Object fromText(String text) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return switch (kind) {
            case INT, BIGINT -> {
                try {
                    yield fromJson(json.numberNode(new java.math.BigInteger(text.trim())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be an integer");
                }
            }
            case DECIMAL, FLOAT -> {
                try {
                    yield fromJson(json.numberNode(new BigDecimal(text.trim())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number");
                }
            }
            case BOOLEAN -> switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("must be true or false");
            };
            case JSON -> throw new IllegalArgumentException("JSON columns cannot be filtered by value");
            default -> fromJson(json.textNode(text));
        };
    }

    /** The JSON form of a value read from the database. PASSWORD values always read back as null. */
    public JsonNode toJson(Object value) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (value == null || kind == Kind.PASSWORD) {
            return json.nullNode();
        }
        return switch (kind) {
            case INT -> json.numberNode(((Number) value).intValue());
            case BIGINT -> json.numberNode(((Number) value).longValue());
            case FLOAT -> json.numberNode(((Number) value).doubleValue());
            case DECIMAL -> json.numberNode(value instanceof BigDecimal d ? d : new BigDecimal(value.toString()));
            case BOOLEAN -> json.booleanNode((Boolean) value);
            case TIMESTAMPTZ -> json.textNode(value instanceof OffsetDateTime t
                    ? t.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString() : value.toString());
            case JSON -> parseJson(value.toString());
            default -> json.textNode(value.toString());
        };
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private static JsonNode parseJson(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static String text(JsonNode value, String what) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("must be " + what);
        }
        return value.asText();
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A row id as the API accepts it. */
    public static Optional<UUID> rowId(String text) {
        try {
            return Optional.of(java.util.UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
