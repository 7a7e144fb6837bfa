package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a platform user ({@code usr_…}). */
public record UserId(@JsonValue String value) {

    public static final String PREFIX = "usr";

    public UserId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static UserId of(String value) {
        return new UserId(value);
    }

    public static UserId generate() {
        return new UserId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
