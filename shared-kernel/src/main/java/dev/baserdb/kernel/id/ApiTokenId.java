package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a personal access token ({@code tok_…}). */
public record ApiTokenId(@JsonValue String value) {

    public static final String PREFIX = "tok";

    public ApiTokenId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static ApiTokenId of(String value) {
        return new ApiTokenId(value);
    }

    public static ApiTokenId generate() {
        return new ApiTokenId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
