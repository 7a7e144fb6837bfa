package dev.baserdb.kernel.data;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Work done as a data-API caller's project role ({@code anon} or {@code authenticated}), so that
 * PostgreSQL's row-level security decides it: the session switches to the project's role with
 * {@code :current_user_id} bound and (optionally) the data plane's statement timeout, both local to
 * the transaction. The one place that turns a caller into a role; reads (in an authenticator's
 * session) and writes (in the owner's, inside the event's transaction) both go through it.
 */
public record RunAs(String role, String userId) {

    private static final String RLS_VIOLATION = "42501";

    /** The caller's project role, or null when the caller bypasses the policies. */
    public static RunAs of(DatabaseRoles roles, String projectId, DataCaller caller) {
        return caller.bypasses() ? null : new RunAs(roles.dataRole(projectId, caller.role()), caller.userId());
    }

    /** From the metadata of a row event: the API role ({@code anon}/{@code authenticated}) or anything else for none. */
    public static RunAs of(DatabaseRoles roles, String projectId, String apiRole, String userId) {
        return "anon".equals(apiRole) || "authenticated".equals(apiRole)
                ? new RunAs(roles.dataRole(projectId, apiRole), userId) : null;
    }

    /** Switches the session of {@code db} (in a transaction) to the role; {@code timeoutMillis} 0 keeps the session's. */
    public void enter(DSLContext db, long timeoutMillis) {
        // the user id is inlined only once it has been read as a UUID; the role name is ours and quoted
        String user = userId == null || userId.isEmpty() ? "" : UUID.fromString(userId).toString();
        db.execute((timeoutMillis > 0 ? "SET LOCAL statement_timeout = " + timeoutMillis + "; " : "")
                + "SET LOCAL baserdb.user_id = '" + user + "'; SET LOCAL ROLE " + db.render(DSL.name(role)));
    }

    /**
     * Runs a write as the role and returns to the owner's role afterwards; a write the policies
     * refuse is 403 ({@code operation} names it).
     */
    public <T> T write(DSLContext db, long timeoutMillis, String operation, Supplier<T> write) {
        enter(db, timeoutMillis);
        try {
            return write.get();
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && RLS_VIOLATION.equals(sql.getSQLState())) {
                throw new BaserDbException(ErrorCode.FORBIDDEN, "The table's policies do not allow this " + operation);
            }
            throw e;
        } finally {
            leave(db);
        }
    }

    private static void leave(DSLContext db) {
        try {
            db.execute("RESET ROLE");
        } catch (DataAccessException aborted) {
            // The transaction already failed and rolls back, which ends the role as well.
        }
    }
}
