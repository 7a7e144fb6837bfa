package dev.baserdb.kernel.organization;

import java.util.Locale;
import java.util.Optional;

/** A member's role in an organization (API.md §4). */
public enum Role {
    OWNER, ADMIN, DEVELOPER, AUDITOR, VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
