package dev.baserdb.api.identity;

import dev.baserdb.kernel.table.Column;
import dev.baserdb.query.data.TableDirectory;
import dev.baserdb.kernel.data.DataTable;
import org.jooq.DSLContext;
import org.jooq.Record1;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Whether a project-user token still stands for a signed-in row (API.md §7): the row must still
 * exist, not be soft-deleted, and hold the password it signed in with. Asked on every request
 * that carries such a token, so a deletion or a password change ends the token at once.
 */
@Component
class ProjectUserRows {

    private final TableDirectory tables;
    private final DSLContext db;

    ProjectUserRows(TableDirectory tables, DSLContext db) {
        this.tables = tables;
        this.db = db;
    }

    boolean stillSignedIn(AccessTokens.VerifiedProjectUser user) {
        DataTable users = tables.find(user.tableId(), null)
                .filter(table -> table.projectId().equals(user.projectId()))
                .orElse(null);
        if (users == null) {
            return false;
        }
        List<Column> passwordColumns = users.columns().stream()
                .filter(column -> column.type().equals("PASSWORD")).toList();
        if (passwordColumns.size() != 1) {
            return false;
        }
        UUID rowId;
        try {
            rowId = UUID.fromString(user.rowId());
        } catch (IllegalArgumentException e) {
            return false;
        }
        Optional<Record1<String>> row = db.select(field(name(passwordColumns.get(0).name()), String.class))
                .from(table(name(users.schema(), users.name())))
                .where(field(name("id"), UUID.class).eq(rowId))
                .and(field(name("deleted_at")).isNull())
                .fetchOptional();
        return row.map(found -> ProjectUserTokens.fingerprint(found.value1()).equals(user.passwordFingerprint()))
                .orElse(false);
    }
}
