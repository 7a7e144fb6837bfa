package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.TenancySteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.insert;
import static dev.baserdb.api.support.TableFixtures.required;
import static dev.baserdb.api.support.TableFixtures.tableRequest;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backup runs over real HTTP (API.md §9): a run is a consistent cut of the project's events, its
 * archive verifies against its SHA-256 and its manifest, downloads are audited, a restore into a new
 * project equals the cut, and bad input changes nothing.
 */
@ApiTest
class BackupHttpTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    BackupArchives archives;

    Http http;
    TenancySteps tenancy;
    TableFixtures tables;
    Account owner;
    String org;
    String project;
    String serviceKey;
    String table;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenancy = new TenancySteps(http);
        tables = new TableFixtures(http);
        owner = new Accounts(http).anAccount();
        org = tenancy.organization(owner).path("id").asText();
        JsonNode created = tenancy.project(owner, org, TenancySteps.uniqueSlug("shop"));
        project = created.path("id").asText();
        serviceKey = created.path("service_key").asText();
        table = TableFixtures.uniqueTableName("items");
        tables.aTable(owner, tableRequest(project, table, required("name", "TEXT"), column("qty", "INT")));
    }

    private Http asOwner() {
        return http.bearer(owner.accessToken());
    }

    private Http service() {
        return tables.serviceKey(serviceKey);
    }

    private String rows() {
        return "/api/v1/data/" + project + "/" + table;
    }

    private String insertRow(String name, int qty) {
        return insert(service(), project, table, Http.json("name", name, "qty", qty)).path("id").asText();
    }

    /** The rows of a table as "name=qty", sorted, read with a project's service key. */
    private List<String> rowsOf(String projectId, String key, String tableName, String query) {
        JsonNode list = ok(tables.serviceKey(key).get("/api/v1/data/" + projectId + "/" + tableName
                + "?order=name.asc&limit=1000" + query));
        List<String> rows = new ArrayList<>();
        list.forEach(row -> rows.add(row.path("name").asText() + "=" + row.path("qty").asText()));
        return rows;
    }

    // --- runs and the archive ------------------------------------------------------------------------

    @Test
    void given_rows_when_a_run_is_started_then_202_with_its_cut_and_the_run_succeeds_with_count_size_and_hash() {
        insertRow("apple", 3);
        insertRow("pear", 5);

        Http.Response started = asOwner().post("/api/v1/backups/runs", Http.json("project_id", project));

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode run = started.data();
        assertThat(run.path("id").asText()).startsWith("bkp_");
        assertThat(run.path("project_id").asText()).isEqualTo(project);
        assertThat(run.path("status").asText()).isIn("running", "succeeded");
        long position = run.path("cut").path("position").asLong();
        assertThat(position).isEqualTo(AuditTrail.count("SELECT max(globalindex) FROM domainevententry WHERE "
                + "globalindex <= ?", position));
        assertThat(Instant.parse(run.path("cut").path("at").asText())).isBeforeOrEqualTo(Instant.now());

        JsonNode done = BackupSteps.awaitRun(asOwner(), run.path("id").asText(), "succeeded");
        long projectEvents = AuditTrail.count("SELECT count(*) FROM domainevententry WHERE globalindex <= ? "
                + "AND convert_from(payload, 'UTF8')::jsonb ->> 'projectId' = ?", position, project);
        assertThat(done.path("event_count").asLong()).isEqualTo(projectEvents);
        assertThat(done.path("size_bytes").asLong()).isPositive();
        assertThat(done.path("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(done.path("finished_at").asText()).isNotBlank();
        assertThat(done.path("error").isNull()).isTrue();
    }

    @Test
    void given_a_succeeded_run_when_downloaded_then_the_archive_matches_its_sha256_and_its_manifest() {
        insertRow("apple", 3);
        String gone = insertRow("plum", 1);
        ok(service().delete(rows() + "/" + gone));
        JsonNode run = BackupSteps.aSucceededRun(asOwner(), project);
        insertRow("after the cut", 9);

        BackupSteps.Download download = BackupSteps.download(port, "Bearer " + owner.accessToken(),
                run.path("id").asText());

        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("application/gzip");
        assertThat(download.bytes()).hasSize(run.path("size_bytes").asInt());
        assertThat(BackupSteps.sha256(download.bytes())).isEqualTo(run.path("sha256").asText());
        BackupSteps.Archive archive = BackupSteps.unpack(download.bytes());
        JsonNode header = archive.header();
        JsonNode manifest = archive.manifest();
        assertThat(header.path("part").asText()).isEqualTo("header");
        assertThat(manifest.path("part").asText()).isEqualTo("manifest");
        for (JsonNode part : List.of(header, manifest)) {
            assertThat(part.path("format").asText()).isEqualTo("baserdb-backup");
            assertThat(part.path("format_version").asInt()).isEqualTo(1);
            assertThat(part.path("project_id").asText()).isEqualTo(project);
            assertThat(part.path("run_id").asText()).isEqualTo(run.path("id").asText());
            assertThat(part.path("cut")).isEqualTo(run.path("cut"));
        }
        assertThat(manifest.path("counts").path("events").asLong()).isEqualTo(run.path("event_count").asLong())
                .isEqualTo(archive.events().size());
        JsonNode eventsPart = manifest.path("parts").get(1);
        assertThat(eventsPart.path("name").asText()).isEqualTo("events");
        assertThat(eventsPart.path("sha256").asText()).isEqualTo(archive.eventsSha256());
        long previous = 0;
        for (JsonNode event : archive.events()) {
            assertThat(event.path("payload").path("projectId").asText()).isEqualTo(project);
            assertThat(event.path("global_index").asLong()).isGreaterThan(previous)
                    .isLessThanOrEqualTo(run.path("cut").path("position").asLong());
            previous = event.path("global_index").asLong();
        }
        assertThat(archive.events()).extracting(e -> e.path("type").asText().replaceAll(".*\\$", ""))
                .contains("ProjectCreated", "GroupCreated", "TableCreated", "RowInserted", "RowDeleted");
        assertThat(archive.lines()).noneMatch(line -> line.contains("after the cut"));
        // stored as in the event store: payload bytes equal the stored ones
        JsonNode first = archive.events().get(0);
        assertThat(AuditTrail.strings("SELECT convert_from(payload, 'UTF8') FROM domainevententry WHERE globalindex = ?",
                first.path("global_index").asLong())).containsExactly(archive.lines().get(1)
                .replaceAll("^.*\"payload\":(\\{.*}),\"metadata\":.*$", "$1"));
    }

    @Test
    void given_a_download_when_the_audit_catches_up_then_it_holds_a_backup_downloaded_entry_for_the_run() {
        JsonNode run = BackupSteps.aSucceededRun(asOwner(), project);
        String runId = run.path("id").asText();

        assertThat(BackupSteps.download(port, "Bearer " + owner.accessToken(), runId).status()).isEqualTo(200);
        assertThat(BackupSteps.download(port, "Bearer " + owner.accessToken(), runId).status()).isEqualTo(200);

        AuditTrail.awaitCaughtUp();
        assertThat(AuditTrail.strings("SELECT actor_id FROM audit_entries WHERE action = 'backup.downloaded' "
                + "AND resource_id = ? ORDER BY sequence", runId)).containsExactly(owner.userId(), owner.userId());
        assertThat(AuditTrail.strings("SELECT project_id FROM audit_entries WHERE action = 'backup.downloaded' "
                + "AND resource_id = ?", runId)).containsOnly(project);
    }

    @Test
    void given_runs_when_listed_then_newest_first_and_only_the_projects_own() {
        String first = BackupSteps.aSucceededRun(asOwner(), project).path("id").asText();
        String second = BackupSteps.aSucceededRun(asOwner(), project).path("id").asText();
        String elsewhere = tenancy.project(owner, org, TenancySteps.uniqueSlug("other")).path("id").asText();
        BackupSteps.aSucceededRun(asOwner(), elsewhere);

        Http.Response list = asOwner().get("/api/v1/backups/runs?project_id=" + project);

        assertThat(TableFixtures.values(ok(list), "id")).containsExactly(second, first);
        assertThat(list.header("X-Total-Count")).isEqualTo("2");
    }

    @Test
    void given_a_run_as_of_an_earlier_instant_then_its_archive_holds_only_the_events_until_then() {
        insertRow("early", 1);
        Instant between = TenancySteps.instantBetweenEvents();
        insertRow("late", 2);

        Http.Response started = asOwner().post("/api/v1/backups/runs",
                Http.json("project_id", project, "as_of", between.toString()));

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.data().path("cut").path("at").asText()).isEqualTo(between.toString());
        JsonNode run = BackupSteps.awaitRun(asOwner(), started.data().path("id").asText(), "succeeded");
        BackupSteps.Archive archive = BackupSteps.unpack(
                BackupSteps.download(port, "Bearer " + owner.accessToken(), run.path("id").asText()).bytes());
        assertThat(archive.lines()).anyMatch(l -> l.contains("\"early\"")).noneMatch(l -> l.contains("\"late\""));
        assertThat(archive.events()).allMatch(e -> !Instant.parse(e.path("timestamp").asText()).isAfter(between));
    }

    @Test
    void given_a_password_column_when_backed_up_then_the_archive_holds_its_hash_never_the_plaintext() {
        String secretive = TableFixtures.uniqueTableName("members");
        tables.aTable(owner, tableRequest(project, secretive, required("name", "TEXT"), column("pass", "PASSWORD")));
        insert(service(), project, secretive, Http.json("name", "ann", "pass", "plaintext-hunter2-secret"));

        JsonNode run = BackupSteps.aSucceededRun(asOwner(), project);
        BackupSteps.Archive archive = BackupSteps.unpack(
                BackupSteps.download(port, "Bearer " + owner.accessToken(), run.path("id").asText()).bytes());

        assertThat(archive.lines()).anyMatch(line -> line.contains("\"ann\""))
                .noneMatch(line -> line.contains("plaintext-hunter2-secret"));
    }

    // --- restore into a new project ------------------------------------------------------------------

    @Test
    void given_an_archive_altered_on_disk_when_restored_then_the_restore_fails_and_no_project_appears() throws Exception {
        insertRow("apple", 3);
        JsonNode run = BackupSteps.aSucceededRun(asOwner(), project);
        String runId = run.path("id").asText();
        java.nio.file.Path file = archives.of(project, runId);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        java.nio.file.Files.write(file, bytes);

        Http.Response restore = asOwner().post("/api/v1/backups/runs/" + runId + "/restore",
                Http.json("target", "new_project", "name", "Tampered " + TenancySteps.uniqueSlug("t")));

        assertThat(restore.status()).as(restore.toString()).isEqualTo(202);
        String restored = restore.data().path("project_id").asText();
        await("the restore to fail").atMost(BackupSteps.WITHIN).pollInterval(Duration.ofMillis(100)).until(() ->
                ok(asOwner().get("/api/v1/backups/runs/" + runId)).path("restore_status").asText().equals("failed"));
        assertThat(ok(asOwner().get("/api/v1/backups/runs/" + runId)).path("restore_error").asText())
                .contains("SHA-256");
        assertThat(asOwner().get("/api/v1/projects/" + restored).status()).isEqualTo(404);
        assertThat(TenancySteps.eventCount(restored)).isZero();
    }

    @Test
    void given_a_run_when_restored_into_a_new_project_then_it_holds_exactly_the_rows_and_tables_of_the_cut() {
        String apple = insertRow("apple", 3);
        insertRow("pear", 5);
        String plum = insertRow("plum", 1);
        ok(service().patch(rows() + "/" + apple, Http.json("qty", 4)));
        ok(service().delete(rows() + "/" + plum));
        String otherTable = TableFixtures.uniqueTableName("notes");
        tables.aTable(owner, tableRequest(project, otherTable, required("name", "TEXT"), column("qty", "INT")));
        insert(service(), project, otherTable, Http.json("name", "n1", "qty", 7));
        List<String> atCut = rowsOf(project, serviceKey, table, "");
        JsonNode run = BackupSteps.aSucceededRun(asOwner(), project);
        // changes after the cut stay out of the restore
        insertRow("after", 9);
        ok(service().patch(rows() + "/" + apple, Http.json("qty", 100)));

        Http.Response restore = asOwner().post("/api/v1/backups/runs/" + run.path("id").asText() + "/restore",
                Http.json("target", "new_project", "name", "Restored " + TenancySteps.uniqueSlug("r")));

        assertThat(restore.status()).as(restore.toString()).isEqualTo(202);
        String restored = restore.data().path("project_id").asText();
        String restoredKey = restore.data().path("service_key").asText();
        assertThat(restored).startsWith("prj_").isNotEqualTo(project);
        assertThat(restoredKey).startsWith("bdb_sk_");
        // the run records the restore's end after the restored project is there: wait for the record
        await("the restore recorded on the run").atMost(BackupSteps.WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> !ok(asOwner().get("/api/v1/backups/runs/" + run.path("id").asText()))
                        .path("restore_status").asText().equals("running"));
        JsonNode after = ok(asOwner().get("/api/v1/backups/runs/" + run.path("id").asText()));
        assertThat(after.path("restored_project_id").asText()).isEqualTo(restored);
        assertThat(after.path("restore_status").asText()).isEqualTo("succeeded");
        assertThat(asOwner().get("/api/v1/projects/" + restored).status()).isEqualTo(200);

        JsonNode project2 = ok(asOwner().get("/api/v1/projects/" + restored));
        assertThat(project2.path("organization_id").asText()).isEqualTo(org);
        List<JsonNode> restoredTables = new ArrayList<>();
        ok(asOwner().get("/api/v1/tables?project_id=" + restored)).forEach(restoredTables::add);
        assertThat(restoredTables).extracting(t -> t.path("name").asText())
                .containsExactlyInAnyOrder(table, otherTable);
        assertThat(restoredTables).extracting(t -> t.path("id").asText()).allMatch(id -> id.startsWith("tbl_"))
                .doesNotContainAnyElementsOf(TableFixtures.values(ok(asOwner().get("/api/v1/tables?project_id="
                        + project)), "id"));
        assertThat(rowsOf(restored, restoredKey, table, "")).containsExactlyElementsOf(atCut)
                .containsExactly("apple=4", "pear=5");
        assertThat(rowsOf(restored, restoredKey, otherTable, "")).containsExactly("n1=7");
        assertThat(rowsOf(restored, restoredKey, table, "&include_deleted=true")).contains("plum=1");
        assertThat(TableFixtures.values(ok(tables.serviceKey(restoredKey).get("/api/v1/data/" + restored + "/" + table)),
                "id")).doesNotContain(apple, plum);
        // the new key is the restored project's own: it does not open the source project
        assertThat(tables.serviceKey(restoredKey).get(rows()).status()).isEqualTo(404);

        JsonNode history = ok(asOwner().get("/api/v1/projects/" + restored + "/history"));
        assertThat(history.get(0).path("type").asText()).isEqualTo("project.restored_from_backup");
        assertThat(history.get(0).path("payload").toString()).contains(run.path("id").asText()).contains(project);
    }

    @Test
    void given_an_impersonation_when_a_run_and_a_restore_are_made_with_it_then_every_event_they_cause_names_the_admin() {
        insertRow("apple", 3);
        Account admin = new Accounts(http).admin();
        Http impersonated = http.bearer(ok(http.bearer(admin.accessToken())
                .post("/api/v1/admin/users/" + owner.userId() + "/impersonate", null)).path("access_token").asText());
        // The run and the restore finish on the scheduler's thread, after their requests answered.
        String run = BackupSteps.aSucceededRun(impersonated, project).path("id").asText();
        Http.Response restore = impersonated.post("/api/v1/backups/runs/" + run + "/restore",
                Http.json("target", "new_project", "name", "Restored " + TenancySteps.uniqueSlug("r")));
        assertThat(restore.status()).as(restore.toString()).isEqualTo(202);
        String restored = restore.data().path("project_id").asText();
        await("the restore recorded on the run").atMost(BackupSteps.WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> ok(asOwner().get("/api/v1/backups/runs/" + run)).path("restore_status").asText()
                        .equals("succeeded"));

        AuditTrail.awaitCaughtUp();

        List<String> runActions = AuditTrail.strings(
                "SELECT action || ' ' || actor_id || ' ' || coalesce(impersonator_id, '-') FROM audit_entries"
                        + " WHERE resource_id = ? ORDER BY sequence", run);
        assertThat(runActions).contains("backup.run_started " + owner.userId() + " " + admin.userId())
                .anyMatch(a -> a.startsWith("backup.run_succeeded "))
                .anyMatch(a -> a.startsWith("backup.restore_succeeded "))
                .allMatch(a -> a.endsWith(" " + owner.userId() + " " + admin.userId()));
        List<String> restoredProject = AuditTrail.strings(
                "SELECT action || ' ' || coalesce(impersonator_id, '-') FROM audit_entries WHERE project_id = ?",
                restored);
        assertThat(restoredProject).contains("project.restored_from_backup " + admin.userId())
                .allMatch(a -> a.endsWith(" " + admin.userId()));
    }

    @Test
    void given_a_restore_request_with_bad_input_then_400_and_no_project() {
        String runId = BackupSteps.aSucceededRun(asOwner(), project).path("id").asText();
        String path = "/api/v1/backups/runs/" + runId + "/restore";
        long projectsBefore = AuditTrail.count("SELECT count(*) FROM project_versions");

        assertThat(asOwner().post(path, Http.json("target", "in_place", "name", "X")).errorCode())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("name", "X")).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("target", "new_project")).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("target", "new_project", "name", " ")).errorCode())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("target", "new_project", "name", 12)).errorCode())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().send("POST", path, "{not json", "application/json").status()).isEqualTo(400);
        assertThat(asOwner().post("/api/v1/backups/runs/bkp_nope/restore",
                Http.json("target", "new_project", "name", "X")).status()).isEqualTo(404);

        assertThat(AuditTrail.count("SELECT count(*) FROM project_versions")).isEqualTo(projectsBefore);
        assertThat(ok(asOwner().get("/api/v1/backups/runs/" + runId)).path("restored_project_id").isNull()).isTrue();
    }

    @Test
    void given_a_name_whose_slug_is_taken_when_restoring_then_409() {
        String runId = BackupSteps.aSucceededRun(asOwner(), project).path("id").asText();
        String taken = ok(asOwner().get("/api/v1/projects/" + project)).path("name").asText();

        Http.Response response = asOwner().post("/api/v1/backups/runs/" + runId + "/restore",
                Http.json("target", "new_project", "name", taken));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
    }

    // --- bad input on runs ---------------------------------------------------------------------------

    @Test
    void given_bad_run_requests_then_400_or_404_and_no_run() {
        assertThat(asOwner().post("/api/v1/backups/runs", Http.json()).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post("/api/v1/backups/runs", Http.json("project_id", 5)).errorCode())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post("/api/v1/backups/runs", Http.json("project_id", "prj_nope")).status()).isEqualTo(404);
        assertThat(asOwner().post("/api/v1/backups/runs", Http.json("project_id", project, "as_of", "yesterday"))
                .errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post("/api/v1/backups/runs", Http.json("project_id", project, "as_of",
                Instant.now().plusSeconds(3600).toString())).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post("/api/v1/backups/runs", Http.json("project_id", project, "as_of",
                "2001-01-01T00:00:00Z")).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().send("POST", "/api/v1/backups/runs", "[1]", "application/json").status()).isEqualTo(400);
        assertThat(asOwner().get("/api/v1/backups/runs").errorCode()).isIn("VALIDATION_FAILED", "BAD_REQUEST");
        assertThat(asOwner().get("/api/v1/backups/runs?project_id=prj_nope").status()).isEqualTo(404);
        assertThat(asOwner().get("/api/v1/backups/runs/bkp_nope").status()).isEqualTo(404);
        assertThat(BackupSteps.download(port, "Bearer " + owner.accessToken(), "bkp_nope").status()).isEqualTo(404);

        assertThat(ok(asOwner().get("/api/v1/backups/runs?project_id=" + project))).isEmpty();
    }

    // --- schedules -----------------------------------------------------------------------------------

    @Test
    void given_no_schedule_when_read_then_nulls_and_once_set_it_reads_back() {
        String path = "/api/v1/projects/" + project + "/backup-schedule";
        JsonNode none = ok(asOwner().get(path));
        assertThat(none.has("cron")).isTrue();
        assertThat(none.path("cron").isNull()).isTrue();
        assertThat(none.path("retention_count").isNull()).isTrue();

        JsonNode set = ok(asOwner().put(path, Http.json("cron", "0 3 * * *", "retention_count", 7)));

        assertThat(set.path("cron").asText()).isEqualTo("0 3 * * *");
        assertThat(ok(asOwner().get(path)).path("cron").asText()).isEqualTo("0 3 * * *");
        assertThat(ok(asOwner().get(path)).path("retention_count").asInt()).isEqualTo(7);
        assertThat(AuditTrail.strings("SELECT task_instance FROM scheduled_tasks WHERE task_name = 'backup-schedule' "
                + "AND task_instance = ?", project)).containsExactly(project);

        ok(asOwner().put(path, Http.json("cron", null)));
        assertThat(ok(asOwner().get(path)).path("cron").isNull()).isTrue();
        assertThat(AuditTrail.count("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'backup-schedule' "
                + "AND task_instance = ?", project)).isZero();
    }

    @ParameterizedTest(name = "cron \"{0}\" → 400")
    @ValueSource(strings = {"", "* * * *", "0 3 * * * *", "61 * * * *", "0 25 * * *", "every day", "0 3 * * mon-fooday"})
    void given_an_invalid_cron_when_setting_the_schedule_then_400_and_nothing_changes(String cron) {
        String path = "/api/v1/projects/" + project + "/backup-schedule";
        ok(asOwner().put(path, Http.json("cron", "0 4 * * *", "retention_count", 2)));

        Http.Response response = asOwner().put(path, Http.json("cron", cron, "retention_count", 3));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").has("cron")).isTrue();
        assertThat(ok(asOwner().get(path)).path("cron").asText()).isEqualTo("0 4 * * *");
        assertThat(ok(asOwner().get(path)).path("retention_count").asInt()).isEqualTo(2);
    }

    @Test
    void given_a_bad_retention_count_or_no_cron_when_setting_the_schedule_then_400() {
        String path = "/api/v1/projects/" + project + "/backup-schedule";
        for (Object count : new Object[] {0, -1, 1001, "3", 2.5}) {
            Http.Response response = asOwner().put(path, Http.json("cron", "0 3 * * *", "retention_count", count));
            assertThat(response.status()).as(count + ": " + response).isEqualTo(400);
            assertThat(response.body().path("error").path("details").has("retention_count")).isTrue();
        }
        assertThat(asOwner().put(path, Http.json("cron", "0 3 * * *")).status()).isEqualTo(400);
        assertThat(asOwner().put(path, Http.json("retention_count", 3)).status()).isEqualTo(400);
        assertThat(asOwner().put("/api/v1/projects/prj_nope/backup-schedule",
                Http.json("cron", "0 3 * * *", "retention_count", 3)).status()).isEqualTo(404);
        assertThat(ok(asOwner().get(path)).path("cron").isNull()).isTrue();
    }
}
