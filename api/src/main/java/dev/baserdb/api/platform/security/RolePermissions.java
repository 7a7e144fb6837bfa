package dev.baserdb.api.platform.security;

import dev.baserdb.kernel.organization.Role;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.baserdb.api.platform.security.Permission.*;

/** The permission matrix of API.md §4: what each role may do. */
public final class RolePermissions {

    private static final Map<Role, Set<Permission>> MATRIX = Map.of(
            Role.OWNER, EnumSet.allOf(Permission.class),
            Role.ADMIN, EnumSet.complementOf(EnumSet.of(ARCHIVE_ORGANIZATION, RESTORE_BACKUPS)),
            Role.DEVELOPER, EnumSet.of(READ_ORGANIZATION, WRITE_PROJECTS, DELETE_SCHEMA, READ_DATA, WRITE_DATA,
                    DELETE_DATA, LIST_CREDENTIALS),
            Role.AUDITOR, EnumSet.of(READ_ORGANIZATION, READ_DATA, READ_DATA_HISTORY, LIST_CREDENTIALS, READ_AUDIT),
            Role.VIEWER, EnumSet.of(READ_ORGANIZATION, READ_DATA));

    private RolePermissions() {
    }

    public static Set<Permission> of(Role role) {
        return MATRIX.get(role);
    }
}
