package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a credential ({@code cred_…}). */
public record CredentialId(@JsonValue String value) {

    public static final String PREFIX = "cred";

    public CredentialId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static CredentialId of(String value) {
        return new CredentialId(value);
    }

    public static CredentialId generate() {
        return new CredentialId(Ids.newId(PREFIX));
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
