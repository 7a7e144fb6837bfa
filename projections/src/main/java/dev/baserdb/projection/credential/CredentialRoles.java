package dev.baserdb.projection.credential;

import dev.baserdb.kernel.credential.CredentialKinds;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.project.GroupEvents;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.projection.data.ProjectRoles;
import org.jooq.DSLContext;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.kernel.readmodel.schema.Tables.GROUP_VERSIONS;


/**
 * The PostgreSQL login roles of {@code postgres_readonly} credentials, made, changed and dropped
 * through the role manager's pool (never the owner): a member of the project's reader role, so it
 * reads every row of the project's tables and history tables and its {@code audit_events} view,
 * and nothing else; {@code CONNECTION LIMIT 5}, a statement timeout of its own, and a search path
 * that resolves the view and the public group's tables unqualified. Passwords reach PostgreSQL only
 * as SCRAM verifiers computed here, so no statement (or server log) ever holds one in plain text.
 *
 * <p>Roles are cluster objects outside any transaction; called inside one, a creation or a password
 * change is undone when that transaction rolls back, so the database never keeps a secret the event
 * store does not know.
 */
@Component
public class CredentialRoles {

    private static final Logger log = LoggerFactory.getLogger(CredentialRoles.class);
    static final int CONNECTION_LIMIT = 5;
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int TERMINATE_WAIT_MILLIS = 5_000;

    private final DataSource roleManager;
    private final DatabaseRoles roles;
    private final ProjectRoles projectRoles;
    private final DSLContext db;
    private final long statementTimeoutMillis;

    CredentialRoles(@Qualifier(DatabaseRoles.ROLE_MANAGER_POOL) DataSource roleManager, DatabaseRoles roles,
                    ProjectRoles projectRoles, DSLContext db,
                    @Value("${baserdb.credentials.statement-timeout:30s}") Duration statementTimeout) {
        this.roleManager = roleManager;
        this.roles = roles;
        this.projectRoles = projectRoles;
        this.db = db;
        this.statementTimeoutMillis = statementTimeout.toMillis();
    }

    /** Creates the login role with this password; dropped again if the surrounding transaction rolls back. */
    public void create(String loginRole, String projectId, String password) {
        ensure(loginRole, projectId, password);
        onRollback(() -> drop(loginRole));
    }

    /**
     * Gives the login role a new password: the old one fails from the next login on (the role is
     * made again if it went missing). Restored if the surrounding transaction rolls back.
     */
    public void changePassword(String loginRole, String projectId, String password, String previousPassword) {
        ensure(loginRole, projectId, password);
        onRollback(() -> ensure(loginRole, projectId, previousPassword));
    }

    /**
     * Drops the login role: first no new login, then its sessions end, then the role goes. Runs at
     * once (not after commit): a revoked credential must not keep working because a commit failed.
     */
    public void drop(String loginRole) {
        try (Connection c = roleManager.getConnection()) {
            if (!exists(c, loginRole)) {
                return;
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + quote(loginRole) + " NOLOGIN");
            }
            terminateSessions(c, loginRole);
            try (Statement s = c.createStatement()) {
                s.execute("REVOKE CONNECT ON DATABASE " + quote(database(c)) + " FROM " + quote(loginRole));
                s.execute("DROP ROLE IF EXISTS " + quote(loginRole));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the credential role " + loginRole, e);
        }
    }

    /** Brings the role to exactly its intended state (idempotent). */
    private void ensure(String loginRole, String projectId, String password) {
        projectRoles.ensure(projectId);
        // Only a superuser may even name SUPERUSER, REPLICATION or BYPASSRLS in an ALTER ROLE: the role is
        // made without them, and a change touches only what the role manager may change.
        String attributes = "LOGIN INHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT " + CONNECTION_LIMIT
                + " PASSWORD " + literal(PasswordUtil.encodeScramSha256(password.toCharArray()));
        List<String> searchPath = searchPath(projectId);
        try (Connection c = roleManager.getConnection(); Statement s = c.createStatement()) {
            boolean exists = exists(c, loginRole);
            if (!exists) {
                try {
                    s.execute("CREATE ROLE " + quote(loginRole) + " WITH NOSUPERUSER NOREPLICATION NOBYPASSRLS "
                            + attributes);
                } catch (SQLException e) {
                    if (!DUPLICATE_OBJECT.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    exists = true;
                }
            }
            if (exists) {
                s.execute("ALTER ROLE " + quote(loginRole) + " WITH " + attributes);
            }
            s.execute("GRANT " + quote(roles.reader(projectId)) + " TO " + quote(loginRole));
            // PUBLIC may not connect to BaserDB's database; the role manager holds CONNECT with grant option.
            s.execute("GRANT CONNECT ON DATABASE " + quote(database(c)) + " TO " + quote(loginRole));
            s.execute("ALTER ROLE " + quote(loginRole) + " SET search_path TO "
                    + String.join(", ", searchPath.stream().map(CredentialRoles::quote).toList()));
            s.execute("ALTER ROLE " + quote(loginRole) + " SET statement_timeout = " + statementTimeoutMillis);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the credential role " + loginRole, e);
        }
    }

    /**
     * {@code pg_terminate_backend} is not PUBLIC's in BaserDB's database, and the role manager is
     * NOINHERIT: it becomes {@code pg_signal_backend} (granted to it by the bootstrap, with EXECUTE on
     * the function) for this one statement, in a transaction of its own so the role cannot linger.
     */
    private static void terminateSessions(Connection c, String loginRole) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL ROLE pg_signal_backend");
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, " + TERMINATE_WAIT_MILLIS + ")) "
                            + "FROM pg_stat_activity WHERE usename = ?")) {
                p.setString(1, loginRole);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        log.info("Ended {} session(s) of the revoked credential role {}", rs.getLong(1), loginRole);
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The project's view schema first, then its public group's schema (where unqualified table names land). */
    private List<String> searchPath(String projectId) {
        List<String> path = new ArrayList<>();
        path.add(CredentialKinds.viewSchema(projectId));
        db.select(GROUP_VERSIONS.ID).from(GROUP_VERSIONS).where(GROUP_VERSIONS.PROJECT_ID.eq(projectId))
                .and(GROUP_VERSIONS.NAME.eq(GroupEvents.PUBLIC)).and(GROUP_VERSIONS.PERIOD.current())
                .fetchOptional(GROUP_VERSIONS.ID).ifPresent(group -> path.add(DataTable.schemaOf(group)));
        return path;
    }

    private static void onRollback(Runnable undo) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_ROLLED_BACK) {
                    try {
                        undo.run();
                    } catch (RuntimeException e) {
                        log.error("Could not undo a credential role change after a rollback: {}", e.getMessage());
                    }
                }
            }
        });
    }

    private static String database(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(Connection c, String role) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            p.setString(1, role);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
