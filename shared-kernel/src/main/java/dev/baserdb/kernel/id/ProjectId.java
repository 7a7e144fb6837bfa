package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a project ({@code prj_…}). */
public record ProjectId(@JsonValue String value) {

    public static final String PREFIX = "prj";

    public ProjectId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static ProjectId of(String value) {
        return new ProjectId(value);
    }

    public static ProjectId generate() {
        return new ProjectId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
