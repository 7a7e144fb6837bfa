package dev.baserdb.api.credential;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.baserdb.api.credential.CredentialSteps.PATH;
import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A {@code postgres_readonly} credential is a real PostgreSQL login (API.md §8): with the revealed
 * URI, a JDBC connection as its role reads every row of the project's tables (rows the anon policies
 * hide included), their history and {@code audit_events}, unqualified; it writes nothing and reads no
 * other project and no platform table. PostgreSQL here trusts local connections, so passwords are
 * proved against the role's SCRAM verifier, not by a login.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlyCredentialDatabaseTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @LocalServerPort
    int port;

    private Http http;
    private CredentialSteps steps;
    private TableFixtures tables;
    private Accounts.Account owner;
    private Tenancy.Project project;
    private String notes;
    private String notesHistory;
    private String othersSchema;
    private String othersTable;

    @BeforeAll
    void aProjectWithRowsTheAnonPolicyPartlyHides() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        steps = new CredentialSteps(http);
        tables = new TableFixtures(http);
        owner = accounts.anAccount();
        String organization = tenancy.anOrganization(owner);
        project = tenancy.aProject(owner, organization);
        JsonNode table = tables.aTable(owner, project.id(), column("body", "TEXT"), column("published", "BOOLEAN"));
        notes = table.path("name").asText();
        notesHistory = "h_" + table.path("id").asText().substring(4);
        Http asKey = tables.serviceKey(project.serviceKey());
        TableFixtures.insert(asKey, project.id(), notes, Http.json("body", "public note", "published", true));
        TableFixtures.insert(asKey, project.id(), notes, Http.json("body", "draft", "published", false));
        ok(http.bearer(owner.accessToken()).put("/api/v1/tables/" + table.path("id").asText() + "/policies",
                List.of(Map.of("api_role", "anon", "operation", "SELECT", "allowed", true,
                        "constraint_sql", "published = true"))));

        Accounts.Account other = accounts.anAccount();
        Tenancy.Project othersProject = tenancy.aProject(other, tenancy.anOrganization(other));
        JsonNode otherTable = tables.aTable(other, othersProject.id(), column("secret", "TEXT"));
        TableFixtures.insert(tables.serviceKey(othersProject.serviceKey()), othersProject.id(),
                otherTable.path("name").asText(), Http.json("secret", "not yours"));
        othersTable = otherTable.path("name").asText();
        othersSchema = AuditTrail.strings("SELECT schema_name FROM table_versions WHERE id = ? AND valid_to IS NULL",
                otherTable.path("id").asText()).get(0);
    }

    @Test
    void given_a_revealed_uri_when_connecting_as_its_role_then_every_row_history_and_audit_events_are_readable() throws Exception {
        String id = steps.aReadOnlyCredential(owner, project.id()).path("id").asText();
        String uri = steps.revealedUri(owner, id);
        Http.Response anon = http.get("/api/v1/data/" + project.id() + "/" + notes);
        assertThat(anon.data()).as("the anon policy hides the draft").hasSize(1);
        AuditTrail.awaitCaughtUp();

        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            assertThat(strings(s, "SELECT body FROM " + notes + " ORDER BY body")).containsExactly("draft", "public note");
            assertThat(strings(s, "SELECT count(*) FROM " + notesHistory)).containsExactly("2");
            List<String> actions = strings(s, "SELECT action FROM audit_events");
            assertThat(actions).contains("project.created", "table.created", "credential.created", "credential.revealed");
            assertThat(strings(s, "SELECT DISTINCT project_id FROM audit_events")).containsExactly(project.id());
            assertThat(strings(s, "SELECT actor ->> 'type' FROM audit_events WHERE action = 'credential.revealed'"))
                    .containsOnly("user");
            assertThat(strings(s, "SELECT resource ->> 'id' FROM audit_events WHERE action = 'credential.created'"))
                    .contains(id);
            assertThat(strings(s, "SELECT changes ->> 'sealed_secret' FROM audit_events WHERE resource ->> 'id' = '"
                    + id + "' AND action = 'credential.created'")).containsExactly("[redacted]");
            assertThat(columns(s, "SELECT * FROM audit_events LIMIT 0")).containsExactly("id", "sequence",
                    "occurred_at", "organization_id", "project_id", "actor", "action", "resource", "request_id", "ip",
                    "user_agent", "changes", "prev_hash", "hash");
            assertThat(strings(s, "SHOW statement_timeout")).containsExactly("30s");
        }
    }

    @Test
    void given_a_connection_as_the_role_when_writing_or_reading_outside_the_project_then_permission_denied() throws Exception {
        String id = steps.aReadOnlyCredential(owner, project.id()).path("id").asText();
        String uri = steps.revealedUri(owner, id);
        List<String> refused = List.of(
                "INSERT INTO " + notes + " (id, created_at, updated_at, body) VALUES (gen_random_uuid(), now(), now(), 'x')",
                "UPDATE " + notes + " SET body = 'changed'",
                "DELETE FROM " + notes,
                "TRUNCATE " + notes,
                "DELETE FROM " + notesHistory,
                "CREATE TABLE mine (x int)",
                "CREATE TEMP TABLE mine (x int)",
                "SELECT * FROM " + othersSchema + "." + othersTable,
                "SELECT * FROM public.users",
                "SELECT * FROM public.table_versions",
                "SELECT * FROM public.signing_keys",
                "SELECT * FROM public.domainevententry",
                "SELECT * FROM public.audit_entries",
                "SELECT * FROM public.credential_versions",
                "SELECT * FROM public.data_keys",
                "SELECT set_config('role', 'postgres', false)",
                "SELECT pg_terminate_backend(pg_backend_pid())");
        try (Connection c = connect(uri)) {
            for (String sql : refused) {
                try (Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
                }
            }
            try (Statement s = c.createStatement()) {
                assertThat(strings(s, "SELECT count(*) FROM " + notes)).containsExactly("2");
            }
        }
        assertThat(AuditTrail.count("SELECT count(*) FROM " + physical(notes) + " WHERE body = 'changed'")).isZero();
    }

    @Test
    void given_a_credential_when_a_table_is_created_afterwards_then_the_role_reads_it_without_a_rotation() throws Exception {
        String id = steps.aReadOnlyCredential(owner, project.id()).path("id").asText();
        String uri = steps.revealedUri(owner, id);
        JsonNode later = tables.aTable(owner, project.id(), column("title", "TEXT"));
        TableFixtures.insert(tables.serviceKey(project.serviceKey()), project.id(), later.path("name").asText(),
                Http.json("title", "added later"));
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            assertThat(strings(s, "SELECT title FROM " + later.path("name").asText())).containsExactly("added later");
            assertThat(strings(s, "SELECT count(*) FROM h_" + later.path("id").asText().substring(4))).containsExactly("1");
        }
    }

    @Test
    void given_a_credential_then_its_role_has_the_connection_limit_the_timeout_the_search_path_and_the_revealed_password() throws Exception {
        String id = steps.aReadOnlyCredential(owner, project.id()).path("id").asText();
        String role = "ro_" + id.substring(5);
        String password = password(steps.revealedUri(owner, id));
        assertThat(password).hasSizeGreaterThanOrEqualTo(43); // 32 random bytes, base64url

        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            assertThat(strings(s, "SELECT rolcanlogin::text || rolconnlimit || rolsuper::text || rolbypassrls::text "
                    + "|| rolcreaterole::text || rolinherit::text FROM pg_roles WHERE rolname = '" + role + "'"))
                    .containsExactly("true5falsefalsefalsetrue");
            List<String> settings = strings(s, "SELECT unnest(setconfig) FROM pg_db_role_setting "
                    + "WHERE setrole = '" + role + "'::regrole");
            assertThat(settings).contains("statement_timeout=30000");
            assertThat(settings).anySatisfy(setting -> assertThat(setting)
                    .startsWith("search_path=p_" + project.id().substring(4) + ", g_"));
            assertThat(strings(s, "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                    + "WHERE m.member = '" + role + "'::regrole"))
                    .containsExactly(TestDatabase.roles().reader(project.id()));
            assertThat(strings(s, "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.grantor "
                    + "WHERE m.member = '" + role + "'::regrole")).as("role DDL runs as the role manager, never the owner")
                    .containsExactly(TestDatabase.roles().roleManager());
            assertThat(strings(s, "SELECT pg_has_role(r, '" + TestDatabase.roles().reader(project.id()) + "', 'MEMBER')::text "
                    + "FROM unnest(ARRAY['" + TestDatabase.roles().owner() + "', '" + TestDatabase.roles().authenticator()
                    + "']) r")).as("no platform role may become the reader").containsOnly("false");
            assertThat(strings(s, "SELECT tablename || ' ' || cmd || ' ' || array_to_string(roles, ',') || ' ' || qual "
                    + "|| ' ' || permissive FROM pg_policies WHERE policyname = 'bdb_reader_select' "
                    + "AND tablename IN ('" + notes + "', '" + notesHistory + "') ORDER BY tablename"))
                    .containsExactlyInAnyOrder(
                            notes + " SELECT " + TestDatabase.roles().reader(project.id()) + " true PERMISSIVE",
                            notesHistory + " SELECT " + TestDatabase.roles().reader(project.id()) + " true PERMISSIVE");
            assertThat(verifier(s, role)).startsWith("SCRAM-SHA-256$");
            assertThat(scramMatches(verifier(s, role), password)).isTrue();
            assertThat(scramMatches(verifier(s, role), password + "x")).isFalse();
        }
    }

    @Test
    void given_a_credential_when_rotated_then_the_same_role_has_only_the_new_password() throws Exception {
        String id = steps.aReadOnlyCredential(owner, project.id()).path("id").asText();
        String role = "ro_" + id.substring(5);
        String before = password(steps.revealedUri(owner, id));
        ok(http.bearer(owner.accessToken()).post(PATH + "/" + id + "/rotate", null));
        String afterUri = steps.revealedUri(owner, id);
        String after = password(afterUri);

        assertThat(URI.create(afterUri).getUserInfo()).startsWith(role + ":");
        assertThat(after).isNotEqualTo(before);
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            assertThat(scramMatches(verifier(s, role), after)).isTrue();
            assertThat(scramMatches(verifier(s, role), before)).as("the old password is dead").isFalse();
        }
    }

    @Test
    void given_an_open_session_when_the_credential_is_revoked_then_the_session_ends_and_the_role_is_gone() throws Exception {
        String id = steps.aReadOnlyCredential(owner, project.id()).path("id").asText();
        String role = "ro_" + id.substring(5);
        String uri = steps.revealedUri(owner, id);
        try (Connection open = connect(uri)) {
            try (Statement s = open.createStatement()) {
                assertThat(strings(s, "SELECT count(*) FROM " + notes)).containsExactly("2");
            }
            ok(http.bearer(owner.accessToken()).delete(PATH + "/" + id));

            assertThatThrownBy(() -> {
                try (Statement s = open.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM " + notes);
                }
            }).isInstanceOf(SQLException.class);
        }
        assertThat(AuditTrail.count("SELECT count(*) FROM pg_roles WHERE rolname = ?", role)).isZero();
        assertThatThrownBy(() -> connect(uri).close()).isInstanceOf(SQLException.class);
        assertThat(http.bearer(owner.accessToken()).get(PATH + "/" + id + "/history").status()).isEqualTo(200);
    }

    @Test
    void given_a_deleted_project_then_its_credential_roles_and_view_schema_are_gone() {
        Tenancy tenancy = new Tenancy(http);
        Tenancy.Project doomed = tenancy.aProject(owner, tenancy.anOrganization(owner));
        String id = steps.aReadOnlyCredential(owner, doomed.id()).path("id").asText();
        String role = "ro_" + id.substring(5);
        assertThat(AuditTrail.count("SELECT count(*) FROM pg_roles WHERE rolname = ?", role)).isOne();
        ok(http.bearer(owner.accessToken()).delete("/api/v1/projects/" + doomed.id()));

        assertThat(AuditTrail.count("SELECT count(*) FROM pg_roles WHERE rolname = ?", role)).isZero();
        assertThat(AuditTrail.count("SELECT count(*) FROM pg_namespace WHERE nspname = ?",
                "p_" + doomed.id().substring(4))).isZero();
        await().atMost(AuditTrail.CATCH_UP).untilAsserted(() -> assertThat(AuditTrail.count(
                "SELECT count(*) FROM pg_roles WHERE rolname = ?", TestDatabase.roles().reader(doomed.id()))).isZero());
        assertThat(http.bearer(owner.accessToken()).get(PATH + "/" + id).status()).isEqualTo(404);
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** A JDBC connection as the URI's role, to the URI's host, port and database. */
    private static Connection connect(String uri) throws SQLException {
        URI parsed = URI.create(uri);
        String[] userInfo = parsed.getUserInfo().split(":", 2);
        return DriverManager.getConnection("jdbc:postgresql://" + parsed.getHost() + ":" + parsed.getPort()
                + parsed.getPath(), userInfo[0], userInfo[1]);
    }

    private static String password(String uri) {
        return URI.create(uri).getUserInfo().split(":", 2)[1];
    }

    /** The physical, schema-qualified name of a managed table of the project's public group. */
    private String physical(String table) {
        return AuditTrail.strings("SELECT quote_ident(schema_name) || '.' || quote_ident(name) FROM table_versions "
                + "WHERE project_id = ? AND name = ? AND valid_to IS NULL", project.id(), table).get(0);
    }

    private static String verifier(Statement s, String role) throws SQLException {
        return strings(s, "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'").get(0);
    }

    /**
     * Whether {@code password} is the one a SCRAM-SHA-256 verifier
     * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, RFC 5802/7677) was made from.
     */
    static boolean scramMatches(String verifier, String password) throws GeneralSecurityException {
        String[] parts = verifier.split("\\$");
        String[] iterationsAndSalt = parts[1].split(":");
        String[] keys = parts[2].split(":");
        byte[] salt = Base64.getDecoder().decode(iterationsAndSalt[1]);
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                password.toCharArray(), salt, Integer.parseInt(iterationsAndSalt[0]), 256)).getEncoded();
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] serverKey = hmac.doFinal("Server Key".getBytes(StandardCharsets.UTF_8));
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        return MessageDigest.isEqual(storedKey, Base64.getDecoder().decode(keys[0]))
                && MessageDigest.isEqual(serverKey, Base64.getDecoder().decode(keys[1]));
    }

    private static List<String> strings(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<String> columns(Statement s, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                names.add(rs.getMetaData().getColumnName(i));
            }
        }
        return names;
    }
}
