package dev.baserdb.query.data;

import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.data.RunAs;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * Read-only work under a project's data role, in a session of the authenticator: the login role
 * that may become the project roles and nothing else. Whatever an expression evaluated there does
 * to the role (even {@code RESET ROLE} or {@code set_config}, were it callable), it cannot climb
 * to a role that can read another project, a platform table or a file. Every statement runs under
 * the data plane's timeout (set on each session of the authenticator's pool when it opens), and
 * the transaction is always rolled back.
 */
@Component
public class RoleSessions {

    private final javax.sql.DataSource authenticator;
    private final DatabaseRoles roles;

    RoleSessions(@Qualifier(DatabaseRoles.AUTHENTICATOR_POOL) javax.sql.DataSource authenticator, DatabaseRoles roles) {
        this.authenticator = authenticator;
        this.roles = roles;
    }

    /**
     * Runs {@code work} as the project's role for the caller ({@code anon}/{@code authenticated}),
     * with {@code :current_user_id} bound to the caller's row id (or none).
     */
    public <T> T read(String projectId, DataCaller caller, Function<DSLContext, T> work) {
        try (Connection connection = authenticator.getConnection()) {
            connection.setAutoCommit(false);
            try {
                DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
                RunAs.of(roles, projectId, caller).enter(db, 0);
                return work.apply(db);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("The authenticator's connection failed", e);
        }
    }
}
