package dev.baserdb.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestClock;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Platform administration (API.md §14): settings with history, export and import; maintenance
 * mode, registration_open, single_session_mode and lockout settings taking effect; users, roles,
 * impersonation (visible in the audit), sessions and stats; every route 403 for non-admins. Each
 * test that changes a setting puts the settings back as they were (the context is shared).
 */
@ApiTest
class AdministrationHttpTest {

    static final String SETTINGS = "/api/v1/admin/settings";
    static final String LOGIN = "/api/v1/auth/login";
    static final String ME = "/api/v1/auth/me";

    @LocalServerPort
    int port;
    @Autowired
    TestClock clock;
    Http http;
    Accounts accounts;
    Accounts.Account admin;
    JsonNode before;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        admin = accounts.admin();
        before = ok(asAdmin().get(SETTINGS + "/export"));
    }

    @AfterEach
    void restore() {
        clock.release();
        Http.Response restored = new Http(port).bearer(accounts.admin().accessToken()).post(SETTINGS + "/import", before);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
    }

    Http asAdmin() {
        return http.bearer(admin.accessToken());
    }

    static JsonNode ok(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.data();
    }

    static void assertError(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.body().path("success").asBoolean(true)).isFalse();
        assertThat(response.errorCode()).as(response.toString()).isEqualTo(code);
    }

    // --- access ---

    @Test
    void givenANonAdmin_whenCallingAnyAdminRoute_then403() {
        Accounts.Account user = accounts.anAccount();
        Http as = http.bearer(user.accessToken());
        List<Http.Response> responses = List.of(
                as.get(SETTINGS), as.patch(SETTINGS, json("app_name", "x")), as.get(SETTINGS + "/history"),
                as.get(SETTINGS + "/export"), as.post(SETTINGS + "/import", before),
                as.get("/api/v1/admin/users"), as.patch("/api/v1/admin/users/" + user.userId() + "/roles",
                        json("roles", List.of("platform_admin"))),
                as.delete("/api/v1/admin/users/" + admin.userId()),
                as.post("/api/v1/admin/users/" + admin.userId() + "/impersonate", null),
                as.get("/api/v1/admin/sessions"), as.get("/api/v1/admin/sessions/ses_x"),
                as.delete("/api/v1/admin/sessions/ses_x"), as.post("/api/v1/admin/sessions/purge", null),
                as.get("/api/v1/admin/stats"), as.get("/api/v1/admin/projections"),
                as.post("/api/v1/admin/projections/users/replay", null));
        for (Http.Response response : responses) {
            assertError(response, 403, "FORBIDDEN");
        }
        assertThat(ok(as.get(ME)).path("user").path("roles")).isEmpty();
        assertThat(http.get(SETTINGS).status()).isEqualTo(401);
    }

    // --- settings ---

    @Test
    void givenAnAdmin_whenReadingSettings_thenEveryFieldOfSection14() {
        JsonNode settings = ok(asAdmin().get(SETTINGS));
        assertThat(settings.fieldNames()).toIterable().containsExactlyInAnyOrder("maintenance_mode",
                "registration_open", "single_session_mode", "lockout_max_attempts", "lockout_duration_ms",
                "email_provider", "email_from", "app_name", "app_url");
    }

    @Test
    void givenBadSettings_whenPatching_then400WithNothingChanged() {
        Http.Response response = asAdmin().patch(SETTINGS, json("lockout_max_attempts", 0, "email_provider", "fax",
                "app_url", "javascript:alert(1)", "maintenance_mode", "yes", "no_such_setting", 1));

        assertError(response, 400, "VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").fieldNames()).toIterable()
                .contains("lockout_max_attempts", "email_provider", "app_url", "maintenance_mode", "no_such_setting");
        assertThat(ok(asAdmin().get(SETTINGS))).isEqualTo(before);
        assertError(asAdmin().send("PATCH", SETTINGS, "{\"app_name\":", "application/json"), 400, "BAD_REQUEST");
        assertError(asAdmin().patch(SETTINGS, "[1]"), 400, "BAD_REQUEST");
    }

    @Test
    void givenAChange_whenReadingHistory_thenItIsThereWithItsActorAndFromTo() {
        String name = "BaserDB " + UUID.randomUUID();
        ok(asAdmin().patch(SETTINGS, json("app_name", name)));

        JsonNode history = ok(asAdmin().get(SETTINGS + "/history"));
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.path("actor").path("id").asText()).isEqualTo(admin.userId());
        assertThat(last.path("changes").path("app_name").path("to").asText()).isEqualTo(name);
        assertThat(last.path("changes").path("app_name").path("from").asText()).isEqualTo(before.path("app_name").asText());
        assertThat(last.path("at").asText()).isNotBlank();
    }

    @Test
    void givenAnExport_whenImportedAfterChanges_thenTheSettingsAreBack_andTheImportIsOneHistoryEntry() {
        JsonNode exported = ok(asAdmin().get(SETTINGS + "/export"));
        ok(asAdmin().patch(SETTINGS, json("app_name", "Changed", "lockout_max_attempts", 7)));
        int entries = ok(asAdmin().get(SETTINGS + "/history")).size();

        JsonNode imported = ok(asAdmin().post(SETTINGS + "/import", exported));

        assertThat(imported).isEqualTo(exported);
        assertThat(ok(asAdmin().get(SETTINGS))).isEqualTo(exported);
        JsonNode history = ok(asAdmin().get(SETTINGS + "/history"));
        assertThat(history).hasSize(entries + 1);
        assertThat(history.get(history.size() - 1).path("source").asText()).isEqualTo("import");
        assertThat(history.get(history.size() - 1).path("changes").path("app_name").path("to").asText())
                .isEqualTo(exported.path("app_name").asText());
    }

    @Test
    void givenAChange_whenReadAsOfBefore_thenTheOldValue_andAStaleIfMatchIs412() {
        Http.Response current = asAdmin().get(SETTINGS);
        String etag = current.header("ETag");
        java.time.Instant beforeChange = java.time.Instant.now();
        await().atMost(Duration.ofSeconds(2)).until(() -> java.time.Instant.now().isAfter(beforeChange.plusMillis(5)));
        String name = "As of " + UUID.randomUUID();
        ok(asAdmin().with("If-Match", etag).patch(SETTINGS, json("app_name", name)));

        assertThat(ok(asAdmin().get(SETTINGS + "?as_of=" + beforeChange)).path("app_name").asText())
                .isEqualTo(before.path("app_name").asText());
        assertThat(ok(asAdmin().get(SETTINGS)).path("app_name").asText()).isEqualTo(name);
        assertError(asAdmin().with("If-Match", etag).patch(SETTINGS, json("app_name", "lost update")), 412,
                "PRECONDITION_FAILED");
        assertError(asAdmin().get(SETTINGS + "?as_of=yesterday"), 400, "VALIDATION_FAILED");
    }

    @Test
    void givenAnIncompleteImport_then400() {
        assertError(asAdmin().post(SETTINGS + "/import", json("app_name", "only this")), 400, "VALIDATION_FAILED");
    }

    @Test
    void givenMaintenanceMode_thenNonAdminWritesAre503_readsAndLoginsWork_andAdminsPass() {
        Accounts.Account user = accounts.anAccount();
        ok(asAdmin().patch(SETTINGS, json("maintenance_mode", true)));

        Http.Response write = http.bearer(user.accessToken()).post("/api/v1/organizations",
                json("slug", Tenancy.uniqueSlug("org"), "name", "Blocked"));
        Http.Response anonymousWrite = http.post("/api/v1/auth/register",
                json("email", Tenancy.uniqueEmail(), "password", Accounts.PASSWORD));

        assertError(write, 503, "MAINTENANCE");
        assertThat(write.header("Retry-After")).isNotBlank();
        assertError(anonymousWrite, 503, "MAINTENANCE");
        assertThat(http.bearer(user.accessToken()).get(ME).status()).isEqualTo(200);
        assertThat(http.post(LOGIN, json("email", user.email(), "password", Accounts.PASSWORD)).status()).isEqualTo(200);
        Http.Response adminWrite = asAdmin().post("/api/v1/organizations",
                json("slug", Tenancy.uniqueSlug("org"), "name", "Admin in maintenance"));
        assertThat(adminWrite.status()).as(adminWrite.toString()).isEqualTo(201);
        ok(asAdmin().patch(SETTINGS, json("maintenance_mode", false)));
        assertThat(http.bearer(user.accessToken()).post("/api/v1/organizations",
                json("slug", Tenancy.uniqueSlug("org"), "name", "Open again")).status()).isEqualTo(201);
    }

    @Test
    void givenRegistrationClosed_whenRegistering_then403() {
        ok(asAdmin().patch(SETTINGS, json("registration_open", false)));

        assertError(http.post("/api/v1/auth/register", json("email", Tenancy.uniqueEmail(), "password",
                Accounts.PASSWORD)), 403, "FORBIDDEN");
    }

    @Test
    void givenSingleSessionMode_whenSigningInAgain_thenTheOtherSessionEnds() {
        Accounts.Account user = accounts.anAccount();
        ok(asAdmin().patch(SETTINGS, json("single_session_mode", true)));

        Accounts.Account again = accounts.login(user.email(), Accounts.PASSWORD);

        assertThat(http.bearer(user.accessToken()).get(ME).status()).isEqualTo(401);
        assertThat(http.bearer(again.accessToken()).get(ME).status()).isEqualTo(200);
    }

    @Test
    void givenLockoutSettings_whenFailingThatOften_thenLockedForThatLong() {
        Accounts.Account user = accounts.anAccount();
        ok(asAdmin().patch(SETTINGS, json("lockout_max_attempts", 3, "lockout_duration_ms", 60_000)));
        for (int i = 0; i < 3; i++) {
            assertError(http.post(LOGIN, json("email", user.email(), "password", "wrong password " + i)), 401,
                    "INVALID_CREDENTIALS");
        }

        Http.Response locked = http.post(LOGIN, json("email", user.email(), "password", Accounts.PASSWORD));

        assertError(locked, 423, "ACCOUNT_LOCKED");
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 60L);
    }

    // --- users, roles ---

    @Test
    void givenUsers_whenSearching_thenOnlyMatchesAndWildcardsAreLiteral() {
        Accounts.Account user = accounts.anAccount();
        String fragment = user.email().substring(5, 30);

        JsonNode found = ok(asAdmin().get("/api/v1/admin/users?search=" + fragment));
        JsonNode wildcard = ok(asAdmin().get("/api/v1/admin/users?search=%25"));

        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("id").asText()).isEqualTo(user.userId());
        assertThat(found.get(0).has("password_hash")).isFalse();
        assertThat(wildcard).isEmpty();
        assertError(asAdmin().get("/api/v1/admin/users?limit=0"), 400, "VALIDATION_FAILED");
    }

    @Test
    void givenARoleChange_thenTheUserIsAnAdminAndThenNotAgain() {
        Accounts.Account user = accounts.anAccount();

        ok(asAdmin().patch("/api/v1/admin/users/" + user.userId() + "/roles", json("roles", List.of("platform_admin"))));
        assertThat(http.bearer(user.accessToken()).get(SETTINGS).status()).isEqualTo(200);
        ok(asAdmin().patch("/api/v1/admin/users/" + user.userId() + "/roles", json("roles", List.of())));
        assertThat(http.bearer(user.accessToken()).get(SETTINGS).status()).isEqualTo(403);

        assertError(asAdmin().patch("/api/v1/admin/users/" + user.userId() + "/roles", json("roles", List.of("god"))),
                400, "VALIDATION_FAILED");
        assertError(asAdmin().patch("/api/v1/admin/users/usr_nobody/roles", json("roles", List.of())), 404, "NOT_FOUND");
        assertError(asAdmin().patch("/api/v1/admin/users/" + user.userId() + "/roles", json("roles", "platform_admin")),
                400, "VALIDATION_FAILED");
    }

    @Test
    void givenAUser_whenAnAdminDeletesIt_thenItCannotSignIn() {
        Accounts.Account user = accounts.anAccount();

        ok(asAdmin().delete("/api/v1/admin/users/" + user.userId()));

        assertThat(http.post(LOGIN, json("email", user.email(), "password", Accounts.PASSWORD)).status()).isEqualTo(401);
        assertThat(http.bearer(user.accessToken()).get(ME).status()).isEqualTo(401);
        assertError(asAdmin().delete("/api/v1/admin/users/" + user.userId()), 404, "NOT_FOUND");
    }

    // --- impersonation ---

    @Test
    void givenImpersonation_thenA15MinuteTokenWithAct_andEveryEventRecordsTheAdminInTheAudit() throws Exception {
        Accounts.Account user = accounts.anAccount();

        JsonNode impersonation = ok(asAdmin().post("/api/v1/admin/users/" + user.userId() + "/impersonate", null));

        String token = impersonation.path("access_token").asText();
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(user.userId());
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", admin.userId()));
        assertThat(impersonation.path("expires_in").asLong()).isEqualTo(900);
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(ok(http.bearer(token).get(ME)).path("user").path("id").asText()).isEqualTo(user.userId());

        Http.Response created = http.bearer(token).post("/api/v1/organizations",
                json("slug", Tenancy.uniqueSlug("org"), "name", "Made while impersonated"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String organization = created.data().path("id").asText();

        AuditTrail.awaitCaughtUp();
        List<String> impersonators = AuditTrail.strings(
                "SELECT coalesce(impersonator_id, '-') FROM audit_entries WHERE resource_id = ? ORDER BY sequence",
                organization);
        assertThat(impersonators).isNotEmpty().allMatch(admin.userId()::equals);
        assertThat(AuditTrail.strings("SELECT actor_id FROM audit_entries WHERE resource_id = ? AND action = ?",
                user.userId(), "user.impersonation_started")).containsExactly(admin.userId());
        JsonNode entry = ok(asAdmin().get("/api/v1/audit/events?resource_id=" + organization)).get(0);
        assertThat(entry.path("actor").path("impersonator_id").asText()).isEqualTo(admin.userId());
        assertThat(entry.path("actor").path("id").asText()).isEqualTo(user.userId());
    }

    @Test
    void givenImpersonation_whenTheUserChangesAResource_thenItsHistoryShowsTheAdminBehindThoseEventsOnly() {
        Accounts.Account user = accounts.anAccount();
        String organization = new Tenancy(http).anOrganization(user);
        String token = ok(asAdmin().post("/api/v1/admin/users/" + user.userId() + "/impersonate", null))
                .path("access_token").asText();
        Http.Response created = http.bearer(token).post("/api/v1/projects",
                json("organization_id", organization, "name", "Made while impersonated"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String project = created.data().path("id").asText();
        ok(http.bearer(user.accessToken()).patch("/api/v1/projects/" + project, json("name", "Renamed by the user")));

        JsonNode history = ok(http.bearer(user.accessToken()).get("/api/v1/projects/" + project + "/history"));

        assertThat(history).hasSize(2);
        JsonNode impersonated = history.get(0).path("actor");
        assertThat(history.get(0).path("type").asText()).isEqualTo("project.created");
        assertThat(impersonated.path("type").asText()).isEqualTo("user");
        assertThat(impersonated.path("id").asText()).isEqualTo(user.userId());
        assertThat(impersonated.path("impersonator_id").asText()).isEqualTo(admin.userId());
        JsonNode own = history.get(1).path("actor");
        assertThat(own.path("id").asText()).isEqualTo(user.userId());
        assertThat(own.has("impersonator_id")).isTrue();
        assertThat(own.path("impersonator_id").isNull()).as(own.toString()).isTrue();
    }

    @Test
    void givenAnImpersonationToken_whenChangingThePasswordOrReachingAdminRoutes_then403() {
        Accounts.Account user = accounts.anAccount();
        String token = ok(asAdmin().post("/api/v1/admin/users/" + user.userId() + "/impersonate", null))
                .path("access_token").asText();

        assertError(http.bearer(token).patch("/api/v1/auth/password", json("current_password", Accounts.PASSWORD,
                "new_password", "hijacked password")), 403, "FORBIDDEN");
        assertError(http.bearer(token).get(SETTINGS), 403, "FORBIDDEN");
    }

    @Test
    void givenAnotherPlatformAdmin_whenImpersonated_then403_andAnUnknownUser404() {
        Accounts.Account other = accounts.anAccount();
        ok(asAdmin().patch("/api/v1/admin/users/" + other.userId() + "/roles", json("roles", List.of("platform_admin"))));

        assertError(asAdmin().post("/api/v1/admin/users/" + other.userId() + "/impersonate", null), 403, "FORBIDDEN");
        assertError(asAdmin().post("/api/v1/admin/users/usr_nobody/impersonate", null), 404, "NOT_FOUND");
        ok(asAdmin().patch("/api/v1/admin/users/" + other.userId() + "/roles", json("roles", List.of())));
    }

    // --- sessions, stats ---

    @Test
    void givenSessions_whenListedByUser_andOneRevoked_thenItsTokenDiesAtOnce() {
        Accounts.Account user = accounts.anAccount();
        Accounts.Account second = accounts.login(user.email(), Accounts.PASSWORD);

        JsonNode sessions = ok(asAdmin().get("/api/v1/admin/sessions?user_id=" + user.userId()));
        assertThat(sessions).hasSize(2);
        assertThat(sessions.findValuesAsText("user_id")).containsOnly(user.userId());
        String first = dev.baserdb.api.identity.SessionIds.of(user.accessToken());

        ok(asAdmin().delete("/api/v1/admin/sessions/" + first));

        assertThat(http.bearer(user.accessToken()).get(ME).status()).isEqualTo(401);
        assertThat(http.bearer(second.accessToken()).get(ME).status()).isEqualTo(200);
        assertThat(ok(asAdmin().get("/api/v1/admin/sessions?user_id=" + user.userId()))).hasSize(1);
        assertError(asAdmin().delete("/api/v1/admin/sessions/ses_nothing"), 404, "NOT_FOUND");
    }

    @Test
    void givenAnExpiredSession_whenPurged_thenItIsGone_andLiveOnesStay() {
        // An impersonation session lasts 15 minutes: 16 minutes on, it has expired; 30-day sign-ins have not.
        Accounts.Account user = accounts.anAccount();
        String token = ok(asAdmin().post("/api/v1/admin/users/" + user.userId() + "/impersonate", null))
                .path("access_token").asText();
        String expiring = dev.baserdb.api.identity.SessionIds.of(token);
        String live = dev.baserdb.api.identity.SessionIds.of(user.accessToken());
        clock.freeze();
        clock.advance(Duration.ofMinutes(16));
        admin = accounts.admin(); // the admin's own 15-minute token has run out too

        JsonNode purged = ok(asAdmin().post("/api/v1/admin/sessions/purge", null));

        assertThat(purged.path("purged").asInt()).isGreaterThanOrEqualTo(1);
        assertError(asAdmin().get("/api/v1/admin/sessions/" + expiring), 404, "NOT_FOUND");
        assertThat(ok(asAdmin().get("/api/v1/admin/sessions/" + live)).path("user_id").asText()).isEqualTo(user.userId());
    }

    @Test
    void givenThePlatform_whenReadingStats_thenCountsSizeAndLag() {
        accounts.anAccount();

        JsonNode stats = ok(asAdmin().get("/api/v1/admin/stats"));

        assertThat(stats.path("users").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(stats.has("organizations")).isTrue();
        assertThat(stats.has("projects")).isTrue();
        assertThat(stats.has("tables")).isTrue();
        assertThat(stats.has("rows")).isTrue();
        assertThat(stats.path("event_store").path("events").asLong()).isGreaterThan(0);
        assertThat(stats.path("event_store").path("size_bytes").asLong()).isGreaterThan(0);
        assertThat(stats.path("processors").findValuesAsText("name")).contains("audit", "users");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ok(asAdmin().get("/api/v1/admin/stats")).path("users").asLong()).isGreaterThanOrEqualTo(2));
    }
}
