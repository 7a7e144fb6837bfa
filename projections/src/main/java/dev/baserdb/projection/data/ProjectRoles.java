package dev.baserdb.projection.data;

import dev.baserdb.kernel.data.DatabaseRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates and drops a project's data roles through the role manager's own small pool, the only
 * connection with {@code CREATEROLE}; it runs nothing but this fixed DDL. Roles are cluster objects
 * outside any transaction's reach, so this commits on its own: a command that rolls back leaves
 * roles with no privileges behind, which the next table of the project reuses.
 */
@Component
public class ProjectRoles {

    private static final Logger log = LoggerFactory.getLogger(ProjectRoles.class);
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource roleManager;
    private final DatabaseRoles roles;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    ProjectRoles(@Qualifier(DatabaseRoles.ROLE_MANAGER_POOL) DataSource roleManager, DatabaseRoles roles) {
        this.roleManager = roleManager;
        this.roles = roles;
    }

    /**
     * Makes sure the project's anon, authenticated and reader roles exist, and that the owner and
     * authenticator may become the first two. The reader (every row, for read-only credentials) is
     * granted to no platform role: only credential logins become its members.
     */
    public void ensure(String projectId) {
        if (ready.contains(projectId)) {
            return;
        }
        List<String> projectRoles = List.of(roles.anon(projectId), roles.authenticated(projectId));
        try (Connection c = roleManager.getConnection(); Statement s = c.createStatement()) {
            for (String role : projectRoles) {
                create(c, s, role);
                s.execute("GRANT " + quote(role) + " TO " + quote(roles.owner()) + ", " + quote(roles.authenticator()));
            }
            create(c, s, roles.reader(projectId));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the data roles of project " + projectId, e);
        }
        ready.add(projectId);
    }

    /** Drops the project's roles once its schemas are gone (best effort: an orphan role holds no privilege). */
    void drop(String projectId) {
        ready.remove(projectId);
        try (Connection c = roleManager.getConnection(); Statement s = c.createStatement()) {
            for (String role : List.of(roles.anon(projectId), roles.authenticated(projectId), roles.reader(projectId))) {
                if (exists(c, role)) {
                    s.execute("DROP ROLE IF EXISTS " + quote(role));
                }
            }
        } catch (SQLException e) {
            log.warn("Could not drop the data roles of deleted project {}: {}", projectId, e.getMessage());
        }
    }

    private static void create(Connection c, Statement s, String role) throws SQLException {
        if (!exists(c, role)) {
            try {
                s.execute("CREATE ROLE " + quote(role) + " NOLOGIN NOINHERIT");
            } catch (SQLException e) {
                if (!DUPLICATE_OBJECT.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
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

    private static String quote(String role) {
        return "\"" + role.replace("\"", "\"\"") + "\"";
    }
}
