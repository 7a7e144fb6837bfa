package dev.baserdb.kernel.table;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Column names a managed table cannot take (API.md §6): those every table has, and those of its
 * history table, which holds the row's own columns beside its bookkeeping columns, so a user
 * column of the same name would clash there.
 */
public final class SystemColumns {

    /** Columns of every managed table. */
    public static final Set<String> ROW = Set.of("id", "created_at", "updated_at", "deleted_at");

    /** Bookkeeping columns of a table's history table. */
    public static final Set<String> HISTORY = Set.of("version", "row_id", "valid_from", "valid_to", "event_id",
            "operation", "version_id", "actor_type", "actor_id");

    private SystemColumns() {
    }

    /** Why a user column may not have this name, or empty when it may (case-insensitive). */
    public static Optional<String> problem(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (ROW.contains(lower)) {
            return Optional.of("is a system column");
        }
        if (HISTORY.contains(lower)) {
            return Optional.of("is reserved (a column of the table's history)");
        }
        return Optional.empty();
    }
}
