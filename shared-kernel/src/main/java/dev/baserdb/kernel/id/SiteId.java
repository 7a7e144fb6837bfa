package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a site ({@code site_…}). */
public record SiteId(@JsonValue String value) {

    public static final String PREFIX = "site";

    public SiteId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static SiteId of(String value) {
        return new SiteId(value);
    }

    public static SiteId generate() {
        return new SiteId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
