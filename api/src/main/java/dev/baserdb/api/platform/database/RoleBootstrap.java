package dev.baserdb.api.platform.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a superuser connection does once at start, before anything else touches the database: creates
 * (or brings in line) the owner, authenticator and role-manager roles, hands the database's schemas
 * and objects to the owner, closes the database to other roles, and takes from {@code PUBLIC} the
 * functions a tenant expression could use to change role, run SQL text, sleep or hold locks. Every
 * step is idempotent; two nodes starting together are serialised by an advisory lock.
 * {@code docs/sql/roles.sql} is the same for a managed database, run by its administrator.
 */
final class RoleBootstrap {

    private static final Logger log = LoggerFactory.getLogger(RoleBootstrap.class);
    private static final long LOCK = 0x6261736572646200L; // "baserdb\0"

    /**
     * Functions of pg_catalog that no tenant expression may call, even if the grammar check were
     * bypassed: changing role or settings, running SQL given as text, sleeping, advisory locks (a
     * session lock outlives the request on a pooled connection), notifications, signalling backends,
     * large objects. The authenticator and the project roles keep none of them.
     */
    static final List<String> RESTRICTED_FUNCTIONS = List.of(
            "set_config", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
            "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema",
            "table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema",
            "cursor_to_xml", "cursor_to_xmlschema",
            "schema_to_xml", "schema_to_xmlschema", "schema_to_xml_and_xmlschema",
            "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema",
            "ts_stat",
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
            "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_xact_lock",
            "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared",
            "pg_advisory_unlock_all",
            "pg_notify", "pg_terminate_backend", "pg_cancel_backend",
            "lo_create", "lo_creat", "lo_from_bytea", "lo_open", "lo_put", "lo_get",
            "lo_unlink", "lo_truncate", "lo_truncate64", "lowrite", "loread");

    /** Of those, what the owner itself uses (Flyway's migration lock; settings), granted back to it alone. */
    static final List<String> OWNER_FUNCTIONS = List.of("set_config", "pg_notify",
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
            "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_xact_lock",
            "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared",
            "pg_advisory_unlock_all");

    /** The three login roles and their passwords. */
    record Login(String name, String password) {
    }

    private RoleBootstrap() {
    }

    static boolean isSuperuser(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    static void run(Connection c, String database, Login owner, Login authenticator, Login roleManager)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            try {
                role(c, owner.name(), "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT",
                        owner.password());
                role(c, authenticator.name(),
                        "LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
                        authenticator.password());
                role(c, roleManager.name(),
                        "LOGIN NOINHERIT CREATEROLE NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS",
                        roleManager.password());
                // The roles the first read-schema migration (V5_0) refers to; they hold no privileges.
                role(c, "bdb_anon", "NOLOGIN", null);
                role(c, "bdb_authenticated", "NOLOGIN", null);

                String db = quote(database);
                s.execute("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
                s.execute("GRANT CONNECT, TEMPORARY, CREATE ON DATABASE " + db + " TO " + quote(owner.name()));
                s.execute("GRANT CONNECT ON DATABASE " + db + " TO " + quote(authenticator.name()));
                // With grant option: the role manager grants CONNECT to the login roles of read-only credentials.
                s.execute("GRANT CONNECT ON DATABASE " + db + " TO " + quote(roleManager.name()) + " WITH GRANT OPTION");
                handOver(c, owner.name());
                restrictFunctions(c, owner.name());
                allowEndingCredentialSessions(s, roleManager.name());
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Creates the role, or brings an existing one to exactly these attributes (and password). */
    private static void role(Connection c, String name, String attributes, String password) throws SQLException {
        boolean exists;
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                exists = rs.next();
            }
        }
        if (exists && password == null) {
            return;
        }
        String sql = (exists ? "ALTER ROLE " : "CREATE ROLE ") + quote(name) + " WITH " + attributes
                + (password == null ? "" : " PASSWORD " + literal(password));
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            // another database's bootstrap on the same server created it a moment ago
            if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Gives the owner every schema and object of the database that is not PostgreSQL's own or an extension's. */
    private static void handOver(Connection c, String owner) throws SQLException {
        List<String> statements = new ArrayList<>();
        String userSchema = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'";
        String notExtension = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s AND d.deptype = 'e')";
        try (PreparedStatement p = c.prepareStatement(
                "SELECT 'ALTER SCHEMA ' || quote_ident(n.nspname) || ' OWNER TO ' || quote_ident(?) FROM pg_namespace n "
                        + "WHERE " + userSchema + " AND n.nspowner <> (SELECT oid FROM pg_roles WHERE rolname = ?) "
                        + "AND " + String.format(notExtension, "n.oid")
                        + " UNION ALL "
                        + "SELECT 'ALTER ' || CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' "
                        + "WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END || ' ' "
                        + "|| c.oid::regclass::text || ' OWNER TO ' || quote_ident(?) "
                        + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE " + userSchema + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
                        + "AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = ?) "
                        + "AND " + String.format(notExtension, "c.oid")
                        // sequences of serial columns follow their table
                        + " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
                        + "AND d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass))"
                        + " UNION ALL "
                        + "SELECT 'ALTER ROUTINE ' || p.oid::regprocedure::text || ' OWNER TO ' || quote_ident(?) "
                        + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        + "WHERE " + userSchema + " AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = ?) "
                        + "AND " + String.format(notExtension, "p.oid"))) {
            for (int i = 1; i <= 6; i++) {
                p.setString(i, owner);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    statements.add(rs.getString(1));
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
        if (!statements.isEmpty()) {
            log.info("Handed {} schemas and objects to the owner role {}", statements.size(), owner);
        }
    }

    private static void restrictFunctions(Connection c, String owner) throws SQLException {
        List<String[]> functions = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT p.oid::regprocedure::text, p.proname FROM pg_proc p "
                + "WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (?)")) {
            p.setArray(1, c.createArrayOf("text", RESTRICTED_FUNCTIONS.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    functions.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String[] function : functions) {
                s.execute("REVOKE EXECUTE ON FUNCTION " + function[0] + " FROM PUBLIC");
                if (OWNER_FUNCTIONS.contains(function[1])) {
                    s.execute("GRANT EXECUTE ON FUNCTION " + function[0] + " TO " + quote(owner));
                }
            }
        }
    }

    /**
     * A revoked credential's sessions must end with it. PostgreSQL lets a role signal only backends of
     * roles whose privileges it has, or any non-superuser's with {@code pg_signal_backend}; the role
     * manager is NOINHERIT (it has no one's privileges), so it gets {@code pg_signal_backend} and
     * becomes it with {@code SET LOCAL ROLE} for that one statement. The function itself was taken
     * from PUBLIC above, so EXECUTE goes to {@code pg_signal_backend}, whose members (superusers and
     * the role manager) could signal backends anyway. Tenant SQL never runs as the role manager.
     */
    private static void allowEndingCredentialSessions(Statement s, String roleManager) throws SQLException {
        s.execute("GRANT pg_signal_backend TO " + quote(roleManager));
        s.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_terminate_backend(integer, bigint) TO pg_signal_backend");
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
