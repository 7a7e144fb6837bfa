package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies an organization ({@code org_…}). */
public record OrganizationId(@JsonValue String value) {

    public static final String PREFIX = "org";

    public OrganizationId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static OrganizationId of(String value) {
        return new OrganizationId(value);
    }

    public static OrganizationId generate() {
        return new OrganizationId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
