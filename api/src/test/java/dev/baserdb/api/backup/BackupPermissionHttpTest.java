package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TenancySteps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The §4 matrix on every route of §9: runs, downloads and schedules need the backup permission
 * (owner, admin), restores need the owner; other roles are 403, a caller from another organization
 * 404, a project's service key 403, and a token without the scope 403 INVALID_SCOPE.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupPermissionHttpTest {

    private static final List<String> ROLES = List.of("owner", "admin", "developer", "auditor", "viewer", "outsider");

    @LocalServerPort
    int port;

    Http http;
    Accounts accounts;
    TenancySteps tenancy;
    Account owner;
    String org;
    String project;
    String serviceKey;
    String runId;
    final Map<String, Account> as = new java.util.HashMap<>();

    /** The accounts and their organization: no backup route changes them, so the cases share them. */
    @BeforeAll
    void accounts() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new TenancySteps(http);
        owner = accounts.anAccount();
        org = tenancy.organization(owner).path("id").asText();
        as.put("owner", owner);
        for (String role : List.of("admin", "developer", "auditor", "viewer")) {
            Account member = accounts.anAccount();
            tenancy.addMember(owner, org, member, role);
            as.put(role, member);
        }
        Account outsider = accounts.anAccount();
        tenancy.organization(outsider);
        as.put("outsider", outsider);
    }

    /** A project of its own per case, with a finished run: the cases start runs and restores and set schedules. */
    @BeforeEach
    void aProjectWithARun() {
        JsonNode created = tenancy.project(owner, org, TenancySteps.uniqueSlug("p"));
        project = created.path("id").asText();
        serviceKey = created.path("service_key").asText();
        runId = BackupSteps.aSucceededRun(http.bearer(owner.accessToken()), project).path("id").asText();
    }

    /** Work a case started (a run, a restore) finishes within the case, so no later test sees it half done. */
    @AfterEach
    void awaitStartedWork() {
        Http asOwner = http.bearer(owner.accessToken());
        await("runs and restores of the case to finish").atMost(BackupSteps.WITHIN)
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    boolean[] busy = {false};
                    ok(asOwner.get("/api/v1/backups/runs?project_id=" + project)).forEach(run -> busy[0] |=
                            run.path("status").asText().equals("running")
                                    || run.path("restore_status").asText().equals("running"));
                    return !busy[0];
                });
    }

    /** Every route of §9, what it needs ("backup" or "restore"), and the status an allowed caller gets. */
    static Stream<Arguments> routes() {
        List<Arguments> cases = new ArrayList<>();
        for (String route : List.of("list", "start", "get", "download", "get-schedule", "put-schedule",
                "restore-new", "restore-in-place")) {
            boolean restore = route.startsWith("restore");
            for (String role : ROLES) {
                boolean allowed = role.equals("owner") || (!restore && role.equals("admin"));
                int expected = role.equals("outsider") ? 404 : allowed ? success(route) : 403;
                cases.add(Arguments.of(route, role, expected));
            }
        }
        return cases.stream();
    }

    private static int success(String route) {
        return switch (route) {
            case "start", "restore-new" -> 202;
            default -> 200;
        };
    }

    private int call(String route, Http caller, String authorization) {
        return switch (route) {
            case "list" -> caller.get("/api/v1/backups/runs?project_id=" + project).status();
            case "start" -> caller.post("/api/v1/backups/runs", Http.json("project_id", project)).status();
            case "get" -> caller.get("/api/v1/backups/runs/" + runId).status();
            case "download" -> BackupSteps.download(port, authorization, runId).status();
            case "get-schedule" -> caller.get("/api/v1/projects/" + project + "/backup-schedule").status();
            case "put-schedule" -> caller.put("/api/v1/projects/" + project + "/backup-schedule",
                    Http.json("cron", "0 3 * * *", "retention_count", 3)).status();
            case "restore-new" -> caller.post("/api/v1/backups/runs/" + runId + "/restore",
                    Http.json("target", "new_project", "name", TenancySteps.uniqueSlug("copy"))).status();
            case "restore-in-place" -> caller.post("/api/v1/projects/" + project + "/restore",
                    Http.json("as_of", Instant.now().toString())).status();
            default -> throw new IllegalArgumentException(route);
        };
    }

    @ParameterizedTest(name = "{0} as {1} → {2}")
    @MethodSource("routes")
    void given_a_role_when_calling_a_backup_route_then_the_matrix_answers(String route, String role, int expected) {
        Account account = as.get(role);
        int status = call(route, http.bearer(account.accessToken()), "Bearer " + account.accessToken());

        assertThat(status).as(route + " as " + role).isEqualTo(expected);
    }

    @Test
    void given_the_projects_service_key_when_calling_backup_routes_then_403() {
        Http key = http.with("X-API-Key", serviceKey);
        assertThat(key.get("/api/v1/backups/runs?project_id=" + project).status()).isEqualTo(403);
        assertThat(key.post("/api/v1/backups/runs", Http.json("project_id", project)).status()).isEqualTo(403);
        assertThat(key.post("/api/v1/projects/" + project + "/restore", Http.json("as_of", Instant.now().toString()))
                .status()).isEqualTo(403);
    }

    @Test
    void given_a_token_with_only_read_scope_when_starting_a_run_then_403_invalid_scope() {
        Tenancy.Pat pat = new Tenancy(http).aPat(owner, List.of("read"), null, null);

        Http.Response response = http.bearer(pat.token()).post("/api/v1/backups/runs", Http.json("project_id", project));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(ok(http.bearer(owner.accessToken()).get("/api/v1/backups/runs?project_id=" + project))).hasSize(1);
    }
}
