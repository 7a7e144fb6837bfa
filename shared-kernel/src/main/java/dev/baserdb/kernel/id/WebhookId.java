package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a webhook ({@code whk_…}). */
public record WebhookId(@JsonValue String value) {

    public static final String PREFIX = "whk";

    public WebhookId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static WebhookId of(String value) {
        return new WebhookId(value);
    }

    public static WebhookId generate() {
        return new WebhookId(Ids.newId(PREFIX));
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
