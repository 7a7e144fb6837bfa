package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a login session ({@code ses_…}). */
public record SessionId(@JsonValue String value) {

    public static final String PREFIX = "ses";

    public SessionId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static SessionId of(String value) {
        return new SessionId(value);
    }

    public static SessionId generate() {
        return new SessionId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
