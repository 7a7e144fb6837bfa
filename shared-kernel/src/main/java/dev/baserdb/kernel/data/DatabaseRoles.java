package dev.baserdb.kernel.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The PostgreSQL roles BaserDB runs as in one database (ARCHITECTURE.md, Security). Roles are
 * cluster-wide, so every name starts with a tag of the database: several BaserDB databases (a test
 * run's among them) can share one PostgreSQL server without sharing a role.
 * <ul>
 *   <li>{@link #owner()}: owns the platform and data-plane schemas, serves commands and projections;
 *       no superuser, no {@code BYPASSRLS}, no {@code CREATEROLE}.</li>
 *   <li>{@link #authenticator()}: {@code NOINHERIT} login whose only power is to {@code SET ROLE} to
 *       the per-project data roles; reads of {@code anon}/{@code authenticated} callers run in its
 *       sessions, so an expression that resets the role lands on a role that can read nothing.</li>
 *   <li>{@link #roleManager()}: {@code CREATEROLE}, used by a small pool only for the DDL of roles,
 *       never for tenant SQL.</li>
 *   <li>{@link #anon(String)}, {@link #authenticated(String)}: per project, with USAGE on that
 *       project's schemas only, so PostgreSQL itself keeps one project's policies out of another's
 *       tables.</li>
 *   <li>{@link #reader(String)}: per project, {@code SELECT} on every table and history table of the
 *       project through a policy of its own (no {@code BYPASSRLS}); the login roles of the project's
 *       read-only credentials are its members. Never granted to the owner or the authenticator.</li>
 * </ul>
 *
 * @param tag           lower-case letters, digits and underscores, at most 16 characters
 * @param owner         the owner's login (by default {@code <tag>_owner})
 * @param authenticator the authenticator's login (by default {@code <tag>_authenticator})
 * @param roleManager   the role manager's login (by default {@code <tag>_role_manager})
 */
public record DatabaseRoles(String tag, String owner, String authenticator, String roleManager) {

    /** The bean qualifier of the authenticator's connection pool. */
    public static final String AUTHENTICATOR_POOL = "authenticatorDataSource";
    /** The bean qualifier of the role manager's connection pool. */
    public static final String ROLE_MANAGER_POOL = "roleManagerDataSource";
    /**
     * The bean qualifier of the owner's pool for data-API reads of operators (service key, members):
     * every session starts with the data plane's statement timeout, so such a read needs no
     * transaction of its own to be bounded.
     */
    public static final String OPERATOR_READ_POOL = "operatorReadDataSource";

    private static final Pattern SHORT_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,15}$");

    public DatabaseRoles {
        if (!SHORT_NAME.matcher(tag).matches()) {
            throw new IllegalArgumentException("A role tag is 1 to 16 of a-z, 0-9 and _: " + tag);
        }
    }

    /** The roles of a database, named by its tag: its own name when short and plain, otherwise a digest of it. */
    public static DatabaseRoles forDatabase(String database) {
        String tag;
        if (SHORT_NAME.matcher(database).matches()) {
            tag = database;
        } else {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(database.getBytes(StandardCharsets.UTF_8));
                tag = "bdb" + HexFormat.of().formatHex(digest).substring(0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return new DatabaseRoles(tag, tag + "_owner", tag + "_authenticator", tag + "_role_manager");
    }

    /** The same tag with the logins an operator configured (a managed database's own role names). */
    public DatabaseRoles withLogins(String owner, String authenticator, String roleManager) {
        return new DatabaseRoles(tag, owner, authenticator, roleManager);
    }

    public String anon(String projectId) {
        return project(projectId) + "_anon";
    }

    public String authenticated(String projectId) {
        return project(projectId) + "_authenticated";
    }

    /** The role whose members (read-only credentials) may read every row of the project's tables. */
    public String reader(String projectId) {
        return project(projectId) + "_reader";
    }

    /** The data role of an API role ({@code anon} or {@code authenticated}) in a project. */
    public String dataRole(String projectId, String apiRole) {
        return switch (apiRole) {
            case "anon" -> anon(projectId);
            case "authenticated" -> authenticated(projectId);
            default -> throw new IllegalArgumentException("Unknown data role " + apiRole);
        };
    }

    /** The prefix shared by every role of this database (for clean-up, and for LIKE patterns). */
    public String prefix() {
        return tag + "_";
    }

    private String project(String projectId) {
        String hex = projectId.substring(projectId.indexOf('_') + 1);
        if (!hex.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("Not a project id: " + projectId);
        }
        return tag + "_" + hex;
    }
}
