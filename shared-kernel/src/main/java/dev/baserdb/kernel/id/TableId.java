package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a managed table ({@code tbl_…}). */
public record TableId(@JsonValue String value) {

    public static final String PREFIX = "tbl";

    public TableId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static TableId of(String value) {
        return new TableId(value);
    }

    public static TableId generate() {
        return new TableId(Ids.newId(PREFIX));
    }

    /** The hex part, usable inside PostgreSQL identifiers. */
    public String hex() {
        return value.substring(PREFIX.length() + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
