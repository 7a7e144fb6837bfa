package dev.baserdb.api.platform.security;

/**
 * What a member may do in an organization (API.md §4), each with the personal-access-token scope
 * that carries it. A token's {@code admin} scope carries every permission.
 */
public enum Permission {
    READ_ORGANIZATION("read"),
    MANAGE_MEMBERS("admin"),
    RENAME_ORGANIZATION("write"),
    ARCHIVE_ORGANIZATION("delete"),
    WRITE_PROJECTS("write"),
    /** Delete groups, tables, columns, indexes and policies: the role of {@link #WRITE_PROJECTS}, the scope {@code delete}. */
    DELETE_SCHEMA("delete"),
    DELETE_PROJECTS("delete"),
    READ_DATA("read"),
    WRITE_DATA("write"),
    /** Soft-delete rows through the data API: the role of {@link #WRITE_DATA}, the scope {@code delete}. */
    DELETE_DATA("delete"),
    /** Every version of a row; history is for owners, admins and auditors (API.md §4). */
    READ_DATA_HISTORY("audit:read"),
    LIST_CREDENTIALS("read"),
    REVEAL_CREDENTIALS("credentials:reveal"),
    RUN_BACKUPS("write"),
    RESTORE_BACKUPS("admin"),
    READ_AUDIT("audit:read");

    private final String scope;

    Permission(String scope) {
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }

    /** Whether the permission changes something (refused in an archived organization). */
    public boolean changes() {
        return switch (this) {
            case READ_ORGANIZATION, READ_DATA, READ_DATA_HISTORY, LIST_CREDENTIALS, REVEAL_CREDENTIALS, READ_AUDIT -> false;
            default -> true;
        };
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
