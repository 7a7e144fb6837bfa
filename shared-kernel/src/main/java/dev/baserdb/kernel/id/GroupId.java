package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a group of tables inside a project ({@code grp_…}). */
public record GroupId(@JsonValue String value) {

    public static final String PREFIX = "grp";

    public GroupId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static GroupId of(String value) {
        return new GroupId(value);
    }

    public static GroupId generate() {
        return new GroupId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
