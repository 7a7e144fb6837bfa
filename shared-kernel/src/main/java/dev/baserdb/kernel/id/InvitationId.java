package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a member invitation ({@code inv_…}). */
public record InvitationId(@JsonValue String value) {

    public static final String PREFIX = "inv";

    public InvitationId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static InvitationId of(String value) {
        return new InvitationId(value);
    }

    public static InvitationId generate() {
        return new InvitationId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
