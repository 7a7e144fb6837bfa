package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a deploy of a site ({@code dep_…}). */
public record DeployId(@JsonValue String value) {

    public static final String PREFIX = "dep";

    public DeployId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static DeployId of(String value) {
        return new DeployId(value);
    }

    public static DeployId generate() {
        return new DeployId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
