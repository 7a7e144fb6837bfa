package dev.baserdb.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.PhysicalSchema;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.data.DatabaseRoles;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.baserdb.api.support.Tenancy.ok;

/**
 * Steps of the row-level security tests: managed tables made over HTTP, and what only the database
 * can tell — the row events of a table in the event store, the PostgreSQL policies on its physical
 * table, and which of its rows a database role sees when it reads the table itself.
 */
final class RlsSteps {

    private RlsSteps() {
    }

    /** A managed table as the API described it when it was created. */
    record ManagedTable(String id, String name, String groupId) {

        /** The PostgreSQL schema of the table's group: {@code g_} and the group id's hex digits. */
        String schema() {
            return "g_" + groupId.substring(groupId.indexOf('_') + 1);
        }

        String tablePath() {
            return "/api/v1/tables/" + id;
        }
    }

    /** One row of {@code pg_policies}, roles sorted. */
    record PgPolicy(String name, String command, String roles, String using, String withCheck) {
    }

    static ObjectNode column(String name, String type, boolean nullable) {
        return Http.json("name", name, "type", type, "nullable", nullable);
    }

    /** Creates a table in the project's public group through {@code POST /tables}. */
    static ManagedTable createTable(Http operator, String projectId, String name, ObjectNode... columns) {
        JsonNode created = ok("create table " + name, operator.post("/api/v1/tables",
                Http.json("project_id", projectId, "name", name, "columns", List.of(columns))));
        return new ManagedTable(created.path("id").asText(), created.path("name").asText(),
                created.path("group_id").asText());
    }

    /** How many row events ({@code RowInserted/Updated/Deleted/Restored}) the event store holds for the table. */
    static int rowEvents(String tableId) {
        return count("select count(*) from domainevententry where payloadtype like 'dev.baserdb.kernel.data.RowEvents$%' "
                + "and strpos(convert_from(payload, 'UTF8'), ?) > 0", tableId);
    }

    /** How many {@code TablePoliciesChanged} events the table's aggregate has. */
    static int policyEvents(String tableId) {
        return count("select count(*) from domainevententry where aggregateidentifier = ? "
                + "and payloadtype like '%TablePoliciesChanged'", tableId);
    }

    /** The PostgreSQL policies on the physical table, sorted by name. */
    static List<PgPolicy> pgPolicies(ManagedTable table) {
        try (Connection c = TestDatabase.checked();
             PreparedStatement s = c.prepareStatement("select policyname, cmd, roles, qual, with_check from pg_policies "
                     // the reader role's own policy (read-only credentials) is not an API role's; see the credential tests
                     + "where schemaname = ? and tablename = ? and policyname <> 'bdb_reader_select' order by policyname")) {
            s.setString(1, table.schema());
            s.setString(2, table.name());
            List<PgPolicy> policies = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Array roles = r.getArray(3);
                    Set<String> labels = new TreeSet<>();
                    for (String role : (String[]) roles.getArray()) {
                        labels.add(label(table, role));
                    }
                    policies.add(new PgPolicy(r.getString(1), r.getString(2), String.join(",", labels),
                            r.getString(4), r.getString(5)));
                }
            }
            return policies;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Tests name the data roles by what they are for ({@code bdb_anon}, {@code bdb_authenticated});
     * in PostgreSQL each project has its own pair ({@link DatabaseRoles}). This is the real one.
     */
    static String projectRole(ManagedTable table, String label) {
        String projectId = projectOf(table);
        return switch (label) {
            case "bdb_anon" -> TestDatabase.roles().anon(projectId);
            case "bdb_authenticated" -> TestDatabase.roles().authenticated(projectId);
            default -> throw new IllegalArgumentException(label);
        };
    }

    /** The label of a project role of the table's project; any other role keeps its own name. */
    private static String label(ManagedTable table, String role) {
        String projectId = projectOf(table);
        if (role.equals(TestDatabase.roles().anon(projectId))) {
            return "bdb_anon";
        }
        return role.equals(TestDatabase.roles().authenticated(projectId)) ? "bdb_authenticated" : role;
    }

    private static String projectOf(ManagedTable table) {
        try (Connection c = TestDatabase.checked();
             PreparedStatement s = c.prepareStatement("select project_id from table_versions where id = ? "
                     + "order by valid_from desc limit 1")) {
            s.setString(1, table.id());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("No table " + table.id());
                }
                return r.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the physical table exists and has row-level security switched on. */
    static boolean physicalTableWithRls(ManagedTable table) {
        try (Connection c = TestDatabase.checked();
             PreparedStatement s = c.prepareStatement("select c.relrowsecurity from pg_class c "
                     + "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ?")) {
            s.setString(1, table.schema());
            s.setString(2, table.name());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row id in the physical table, read as the superuser (no row-level security). */
    static Set<String> allPhysicalRows(ManagedTable table) {
        try (Connection c = TestDatabase.checked(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select id from " + quoted(table) + " where deleted_at is null")) {
            Set<String> ids = new LinkedHashSet<>();
            while (r.next()) {
                ids.add(r.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The row ids a plain {@code SELECT} on the physical table returns under {@code SET ROLE} to the
     * project's role for {@code dbRole} ({@link #projectRole}), with {@code baserdb.user_id} (what
     * {@code :current_user_id} reads) set to {@code userId} when given.
     */
    static Set<String> physicalRowsAs(String dbRole, String userId, ManagedTable table) {
        String role = projectRole(table, dbRole);
        try (Connection c = TestDatabase.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (userId != null) {
                    // set before the role changes: the project roles may not call set_config
                    try (PreparedStatement set = c.prepareStatement("select set_config('baserdb.user_id', ?, true)")) {
                        set.setString(1, userId);
                        set.execute();
                    }
                }
                s.execute("SET LOCAL ROLE \"" + role + "\"");
                Set<String> ids = new TreeSet<>();
                try (ResultSet r = s.executeQuery("select id from " + quoted(table))) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
                return ids;
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tries a plain INSERT on the physical table under {@code SET ROLE dbRole}; returns the SQLSTATE, or null if it worked (then rolled back). */
    static String physicalInsertAs(String dbRole, ManagedTable table) {
        String role = projectRole(table, dbRole);
        try (Connection c = TestDatabase.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE \"" + role + "\"");
                s.execute("insert into " + quoted(table) + " (id, created_at, updated_at) "
                        + "values (gen_random_uuid(), now(), now())");
                return null;
            } catch (SQLException e) {
                return e.getSQLState();
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(ManagedTable table) {
        return "\"" + table.schema() + "\".\"" + table.name() + "\"";
    }

    private static int count(String sql, String parameter) {
        return (int) PhysicalSchema.count(sql, parameter);
    }
}
