package dev.baserdb.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.PhysicalSchema;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay of read models (API.md §14): {@code GET /admin/projections} shows where every read model
 * stands, {@code POST /admin/projections/{name}/replay} rebuilds one from the event store while the
 * API keeps answering, and afterwards every read-model table — the audit chain included — is
 * byte-identical to what it was.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayHttpTest {

    private static final String PROJECTIONS = "/api/v1/admin/projections";
    private static final List<String> READ_MODELS = List.of("users", "sessions", "api_tokens", "organizations",
            "projects", "data_plane", "credentials", "backups", "storage", "sites", "webhooks", "audit",
            "webhook-outbox", "platform_settings");
    /** Kept by streaming processors: the audit trail and the webhook delivery outbox. */
    private static final List<String> ASYNC = List.of("audit", "webhook-outbox");
    private static final List<String> TABLES = List.of("users", "sessions", "refresh_tokens", "api_tokens",
            "invitations", "member_invitations", "organization_versions", "membership_versions", "project_versions",
            "group_versions", "table_versions", "credential_versions", "backup_runs", "backup_schedules",
            "bucket_versions", "storage_file_versions", "site_versions", "deploys", "deploy_files", "webhooks",
            "audit_entries", "account_tokens");
    private static final Duration REPLAY = Duration.ofSeconds(120);

    @LocalServerPort
    int port;

    private Http http;
    private Accounts accounts;
    private Accounts.Account platformAdmin;
    private Accounts.Account owner;

    @BeforeAll
    void somethingInEveryReadModel() {
        http = new Http(port);
        accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        platformAdmin = accounts.admin();
        owner = accounts.anAccount();
        Accounts.Account member = accounts.anAccount();
        String organization = tenancy.anOrganization(owner);
        ok(http.bearer(owner.accessToken()).patch("/api/v1/organizations/" + organization,
                Http.json("name", "Replayed organization")));
        tenancy.addMember(owner, organization, member, "developer");
        ok(http.bearer(owner.accessToken()).patch("/api/v1/organizations/" + organization + "/members/"
                + member.userId(), Http.json("role", "auditor")));
        tenancy.invite(owner, organization, Tenancy.uniqueEmail(), "viewer"); // an open invitation
        Tenancy.Project project = tenancy.aProject(owner, organization);
        ok(http.bearer(owner.accessToken()).patch("/api/v1/projects/" + project.id(), Http.json("name", "Renamed")));
        tenancy.aGroup(owner, project.id());
        tenancy.aPat(owner, List.of("read", "audit:read"), organization, null);
        // A managed table whose rows were inserted, changed and deleted, under a policy.
        Http owned = http.bearer(owner.accessToken());
        String table = ok(owned.post("/api/v1/tables", Http.json("project_id", project.id(), "name", "notes",
                "columns", List.of(Map.of("name", "body", "type", "TEXT"), Map.of("name", "rank", "type", "INT")))))
                .path("id").asText();
        ok(owned.put("/api/v1/tables/" + table + "/policies",
                List.of(Map.of("api_role", "anon", "operation", "SELECT", "allowed", true, "constraint_sql", "rank > 0"))));
        String row = ok(owned.post("/api/v1/data/" + project.id() + "/notes", Http.json("body", "first", "rank", 1)))
                .path("id").asText();
        ok(owned.post("/api/v1/data/" + project.id() + "/notes/batch",
                List.of(Map.of("body", "second", "rank", 2), Map.of("body", "third", "rank", 3))));
        ok(owned.patch("/api/v1/data/" + project.id() + "/notes/" + row, Http.json("rank", 5)));
        ok(owned.delete("/api/v1/data/" + project.id() + "/notes/" + row));
        // A managed table without rows: a rebuild makes its history's indexes at its end, with no insert to start it.
        ok(owned.post("/api/v1/tables", Http.json("project_id", project.id(), "name", "empty_notes",
                "columns", List.of(Map.of("name", "body", "type", "TEXT")))));
        // Webhooks: one changed, one deleted (inactive, so nothing is delivered meanwhile).
        String hook = ok(owned.post("/api/v1/projects/" + project.id() + "/webhooks", Http.json("url",
                "http://127.0.0.1:9/hook", "events", List.of("row.inserted"), "active", false))).path("id").asText();
        ok(owned.patch("/api/v1/webhooks/" + hook, Http.json("events", List.of("row.updated", "table.created"))));
        String gone = ok(owned.post("/api/v1/projects/" + project.id() + "/webhooks", Http.json("url",
                "http://127.0.0.1:9/other", "events", List.of("row.deleted"), "active", false))).path("id").asText();
        ok(owned.delete("/api/v1/webhooks/" + gone));
        // Credentials: one rotated, one revoked.
        String readOnly = ok(owned.post("/api/v1/credentials", Http.json("project_id", project.id(), "name", "bi",
                "kind", "postgres_readonly"))).path("id").asText();
        ok(owned.post("/api/v1/credentials/" + readOnly + "/rotate", null));
        String external = ok(owned.post("/api/v1/credentials", Http.json("project_id", project.id(), "name", "crm",
                "kind", "external", "uri", "https://user:secret@crm.example.com/api"))).path("id").asText();
        ok(owned.delete("/api/v1/credentials/" + external));
        // A backup run that succeeded, and a backup schedule.
        String run = ok(owned.post("/api/v1/backups/runs", Http.json("project_id", project.id()))).path("id").asText();
        await("the backup run").atMost(REPLAY).pollInterval(Duration.ofMillis(100)).until(() ->
                ok(owned.get("/api/v1/backups/runs/" + run)).path("status").asText().equals("succeeded"));
        ok(owned.put("/api/v1/projects/" + project.id() + "/backup-schedule",
                Http.json("cron", "0 3 * * *", "retention_count", 3)));
        // Storage: a bucket whose file was overwritten; a site with a published deploy and a pending one.
        String files = "/api/v1/projects/" + project.id() + "/storage/media";
        ok(owned.post("/api/v1/projects/" + project.id() + "/buckets", Http.json("name", "media")));
        for (String version : List.of("one", "two")) {
            dev.baserdb.api.storage.Multipart form = new dev.baserdb.api.storage.Multipart()
                    .file("file", "note.txt", version.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain");
            ok(owned.send("POST", files, form.bytes(), form.contentType()));
        }
        String site = ok(owned.post("/api/v1/projects/" + project.id() + "/sites",
                Http.json("subdomain", Tenancy.uniqueSlug("replayed")))).path("id").asText();
        String deploys = "/api/v1/projects/" + project.id() + "/sites/" + site + "/deploys";
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("index.html"));
            out.write("<html>replayed</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        dev.baserdb.api.storage.Multipart archive = new dev.baserdb.api.storage.Multipart()
                .file("zipfile", "site.zip", zip.toByteArray(), "application/zip");
        String deploy = ok(owned.send("POST", deploys, archive.bytes(), archive.contentType())).path("id").asText();
        ok(owned.post(deploys + "/" + deploy + "/publish", null));
        String pending = ok(owned.post(deploys + "/open", null)).path("id").asText();
        ok(owned.send("PUT", deploys + "/" + pending + "/files?path=a.html", "<p>a</p>", "text/html"));
        Accounts.Account again = accounts.login(member.email(), Accounts.PASSWORD);
        ok(http.post("/api/v1/auth/refresh", Http.json("refresh_token", again.refreshToken())));
        ok(http.bearer(member.accessToken()).post("/api/v1/auth/logout", null));
    }

    private Http asAdmin() {
        return http.bearer(platformAdmin.accessToken());
    }

    private Map<String, JsonNode> statuses() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        ok(asAdmin().get(PROJECTIONS)).forEach(status -> byName.put(status.path("name").asText(), status));
        return byName;
    }

    private static long head() {
        return AuditTrail.count("SELECT coalesce(max(globalindex), 0) FROM domainevententry");
    }

    private static final String INDEXES = "indexes of the managed tables";

    /** Every row of every read-model table as text, table by table, in a stable order, and the managed tables' indexes. */
    private static Map<String, List<String>> dump() {
        Map<String, String> queries = new LinkedHashMap<>();
        TABLES.forEach(table -> queries.put(table, "SELECT t::text FROM " + table + " t ORDER BY 1"));
        // The data plane: every managed table and its history of row versions, as PostgreSQL holds them.
        for (String table : AuditTrail.strings("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                + " WHERE schemaname LIKE 'g\\_%' ORDER BY 1")) {
            String columns = table.contains(".\"h_") || table.matches(".*\\.h_[0-9a-f]+$")
                    ? "row_id, version, operation, valid_from, valid_to, event_id, actor_type, actor_id, id"
                    : "t::text";
            queries.put(table, "SELECT (" + columns.replace("t::text", "t") + ")::text FROM " + table + " t ORDER BY 1");
        }
        Map<String, List<String>> tables = AuditTrail.strings(queries);
        // and its indexes (a rebuild drops the history's own indexes while it loads, and builds them again)
        tables.put(INDEXES, AuditTrail.strings("SELECT indexdef FROM pg_indexes WHERE schemaname LIKE 'g\\_%' ORDER BY 1"));
        return tables;
    }

    private void awaitReplayed(String name) {
        await(name + " replayed").atMost(REPLAY).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode status = statuses().get(name);
            assertThat(status.path("replaying").asBoolean()).as(status.toString()).isFalse();
            assertThat(status.path("lag").asLong()).as(status.toString()).isZero();
            assertThat(status.path("position").asLong()).as(status.toString()).isEqualTo(head());
            assertThat(status.path("progress").asDouble()).as(status.toString()).isEqualTo(100.0);
            assertThat(status.path("last_error").isNull()).as(status.toString()).isTrue();
        });
    }

    @Test
    void given_the_platform_admin_when_listing_projections_then_every_read_model_shows_where_it_stands() {
        AuditTrail.awaitCaughtUp();
        long head = head();

        Map<String, JsonNode> statuses = statuses();

        assertThat(statuses.keySet()).containsExactlyInAnyOrderElementsOf(READ_MODELS);
        statuses.forEach((name, status) -> {
            List<String> fields = new ArrayList<>();
            status.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as(name).containsExactlyInAnyOrder("name", "mode", "position", "head", "lag",
                    "replaying", "progress", "last_error");
            assertThat(status.path("mode").asText()).as(name).isEqualTo(ASYNC.contains(name) ? "async" : "inline");
            assertThat(status.path("head").asLong()).as(name).isGreaterThanOrEqualTo(head);
            assertThat(status.path("lag").asLong()).as(name)
                    .isEqualTo(status.path("head").asLong() - status.path("position").asLong());
            assertThat(status.path("replaying").isBoolean()).as(name).isTrue();
            assertThat(status.path("progress").asDouble()).as(name).isBetween(0.0, 100.0);
        });
    }

    @Test
    void given_a_member_who_is_not_platform_admin_when_listing_projections_then_403() {
        Http.Response response = http.bearer(owner.accessToken()).get(PROJECTIONS);

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
    }

    @Test
    void given_a_member_who_is_not_platform_admin_when_replaying_then_403() {
        Http.Response response = http.bearer(owner.accessToken()).post(PROJECTIONS + "/users/replay", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
    }

    @Test
    void given_an_unknown_read_model_when_replaying_it_then_404() {
        Http.Response response = asAdmin().post(PROJECTIONS + "/no_such_model/replay", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void given_every_read_model_replayed_when_it_has_caught_up_then_every_table_is_byte_identical() {
        AuditTrail.awaitCaughtUp();
        Map<String, List<String>> before = dump();
        TABLES.forEach(table -> assertThat(before.get(table)).as(table + " has rows to compare").isNotEmpty());
        assertThat(before.entrySet())
                .as("a managed table with rows").anyMatch(t -> t.getKey().endsWith(".notes") && !t.getValue().isEmpty())
                .as("and one without").anyMatch(t -> t.getKey().endsWith(".empty_notes") && t.getValue().isEmpty());

        for (String name : READ_MODELS) {
            Http.Response replay = asAdmin().post(PROJECTIONS + "/" + name + "/replay", null);
            assertThat(replay.status()).as(name + ": " + replay).isEqualTo(202);
            assertThat(replay.data().path("name").asText()).isEqualTo(name);
        }
        READ_MODELS.forEach(this::awaitReplayed);

        Map<String, List<String>> after = dump();
        for (String table : TABLES) {
            assertThat(after.get(table)).as(table).containsExactlyElementsOf(before.get(table));
        }
        assertThat(before.get(INDEXES)).as("history indexes").anyMatch(index -> index.contains("_period"));
        assertThat(after).as("the data plane's tables, histories and indexes").isEqualTo(before);
    }

    /**
     * History tables made by earlier versions had an index on {@code (row_id, valid_from)} as well,
     * the {@code _id} index again; a rebuild of the data plane leaves it out.
     */
    @Test
    void given_a_history_with_the_former_row_index_when_the_data_plane_is_replayed_then_the_history_has_only_its_own_indexes() {
        AuditTrail.awaitCaughtUp();
        String history = PhysicalSchema.allManagedTables().stream().filter(table -> table.contains(".h_"))
                .findFirst().orElseThrow();
        String schema = history.substring(0, history.indexOf('.'));
        String name = history.substring(history.indexOf('.') + 1);
        AuditTrail.execute("CREATE INDEX \"" + name + "_row\" ON \"" + schema + "\".\"" + name + "\""
                + " (row_id, valid_from)");
        assertThat(PhysicalSchema.indexDefinitions(schema, name)).anySatisfy(index -> assertThat(index)
                .contains(name + "_row "));

        assertThat(asAdmin().post(PROJECTIONS + "/data_plane/replay", null).status()).isEqualTo(202);
        awaitReplayed("data_plane");

        assertThat(PhysicalSchema.indexDefinitions(schema, name)).satisfiesExactlyInAnyOrder(
                index -> assertThat(index).contains(name + "_pkey "),
                index -> assertThat(index).contains(name + "_period "),
                index -> assertThat(index).contains(name + "_id "));
    }

    /**
     * A rebuild that fails rolls back: the previous tables stay in place, and the status says why
     * until a replay succeeds. The owner role loses the right to create schemas for the first replay
     * (it renames and creates the managed schemas), and gets it back for the second.
     */
    @Test
    void given_a_replay_of_the_data_plane_that_fails_then_its_status_says_why_and_the_tables_stay_until_one_succeeds()
            throws Exception {
        AuditTrail.awaitCaughtUp();
        Map<String, List<String>> before = dump();
        String database = TestDatabase.url().substring(TestDatabase.url().lastIndexOf('/') + 1);
        String owner = TestDatabase.roles().owner();
        try (Connection superuser = TestDatabase.connect(); Statement statement = superuser.createStatement()) {
            statement.execute("REVOKE CREATE ON DATABASE " + database + " FROM \"" + owner + "\"");
            try {
                Http.Response replay = asAdmin().post(PROJECTIONS + "/data_plane/replay", null);
                assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
                await("the failed replay").atMost(REPLAY).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    JsonNode status = statuses().get("data_plane");
                    assertThat(status.path("replaying").asBoolean()).as(status.toString()).isFalse();
                    assertThat(status.path("last_error").asText()).as(status.toString()).contains("permission denied");
                });
            } finally {
                statement.execute("GRANT CREATE ON DATABASE " + database + " TO \"" + owner + "\"");
            }
        }
        assertThat(dump()).as("the tables before the failed replay").isEqualTo(before);

        ok(asAdmin().post(PROJECTIONS + "/data_plane/replay", null));
        awaitReplayed("data_plane");

        assertThat(dump()).isEqualTo(before);
        assertThat(AuditTrail.strings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'retired\\_%'"))
                .as("the replaced schemas, dropped after the rebuild").isEmpty();
    }

    @Test
    void given_a_replay_of_the_audit_when_it_has_caught_up_then_the_chain_is_identical_and_verifies() {
        AuditTrail.awaitCaughtUp();
        List<String> before = AuditTrail.strings("SELECT a::text FROM audit_entries a ORDER BY sequence");

        Http.Response replay = asAdmin().post(PROJECTIONS + "/audit/replay", null);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
        assertThat(replay.data().path("mode").asText()).isEqualTo("async");
        awaitReplayed("audit");

        assertThat(AuditTrail.strings("SELECT a::text FROM audit_entries a ORDER BY sequence"))
                .containsExactlyElementsOf(before);
        JsonNode verification = ok(asAdmin().get("/api/v1/audit/verify"));
        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("checked").asLong()).isEqualTo(before.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "sessions", "api_tokens", "organizations", "projects"})
    void given_a_replay_of_an_inline_read_model_when_it_starts_then_it_answers_202_with_its_progress(String name) {
        Http.Response replay = asAdmin().post(PROJECTIONS + "/" + name + "/replay", null);

        assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
        assertThat(replay.data().path("name").asText()).isEqualTo(name);
        assertThat(replay.data().path("mode").asText()).isEqualTo("inline");
        assertThat(replay.data().path("replaying").asBoolean()).as(replay.toString()).isTrue();
        assertThat(replay.data().path("progress").asDouble()).isBetween(0.0, 100.0);
        awaitReplayed(name);
    }

    @Test
    void given_a_replay_of_users_and_sessions_running_when_someone_logs_in_then_the_api_answers() {
        Accounts.Account account = accounts.anAccount();
        Http.Response users = asAdmin().post(PROJECTIONS + "/users/replay", null);
        Http.Response sessions = asAdmin().post(PROJECTIONS + "/sessions/replay", null);
        assertThat(users.data().path("replaying").asBoolean()).as(users.toString()).isTrue();
        assertThat(sessions.data().path("replaying").asBoolean()).as(sessions.toString()).isTrue();

        Accounts.Account signedIn = accounts.login(account.email(), Accounts.PASSWORD);
        Http.Response me = http.bearer(signedIn.accessToken()).get("/api/v1/auth/me");

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("user").path("id").asText()).isEqualTo(account.userId());
        awaitReplayed("users");
        awaitReplayed("sessions");
        assertThat(accounts.login(account.email(), Accounts.PASSWORD).userId()).isEqualTo(account.userId());
    }
}
