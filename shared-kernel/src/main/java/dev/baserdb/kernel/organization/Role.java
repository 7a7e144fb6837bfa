package dev.baserdb.kernel.organization;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/** A member's role in an organization (API.md §4). */
public enum Role {
    OWNER, ADMIN, DEVELOPER, AUDITOR, VIEWER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role of(String value) {
        return fromWire(value).or(() -> fromWire(value == null ? null : value.toLowerCase(Locale.ROOT)))
                .orElseThrow(() -> new IllegalArgumentException("Unknown role " + value));
    }

    public static Optional<Role> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
