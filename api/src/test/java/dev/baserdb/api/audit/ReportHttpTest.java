package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Compliance reports (API.md §10): {@code /reports/access} lists every member of an organization
 * with role and effective permissions, now or as of an instant; {@code /reports/changes} counts
 * changes by action and actor in a period. Both are read by the roles that read the audit trail.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportHttpTest {

    // The permissions per role, written from the roles table of API.md §4 (not from the code).
    // delete_data and delete_schema are the "delete" half of writing data and tables; read_data_history
    // is the row history §4 reserves for owner, admin and auditor.
    private static final List<String> OWNER = List.of("archive_organization", "delete_data", "delete_projects",
            "delete_schema", "list_credentials", "manage_members", "read_audit", "read_data", "read_data_history",
            "read_organization", "rename_organization", "restore_backups", "reveal_credentials", "run_backups",
            "write_data", "write_projects");
    private static final List<String> ADMIN = List.of("delete_data", "delete_projects", "delete_schema",
            "list_credentials", "manage_members", "read_audit", "read_data", "read_data_history", "read_organization",
            "rename_organization", "reveal_credentials", "run_backups", "write_data", "write_projects");
    private static final List<String> DEVELOPER = List.of("delete_data", "delete_schema", "list_credentials",
            "read_data", "read_organization", "write_data", "write_projects");
    private static final List<String> AUDITOR = List.of("list_credentials", "read_audit", "read_data",
            "read_data_history", "read_organization");
    private static final List<String> VIEWER = List.of("read_data", "read_organization");
    private static final Map<String, List<String>> PERMISSIONS = Map.of("owner", OWNER, "admin", ADMIN,
            "developer", DEVELOPER, "auditor", AUDITOR, "viewer", VIEWER);

    @LocalServerPort
    int port;

    private Http http;
    private Tenancy tenancy;
    private Accounts.Account platformAdmin;
    private final Map<String, Accounts.Account> byRole = new LinkedHashMap<>();
    private Accounts.Account temp;
    private Accounts.Account leaver;
    private Accounts.Account late;
    private String organization;
    private Instant beforeOrganization;
    /** An instant between the first and the second series of changes. */
    private Instant midway;

    @BeforeAll
    void anOrganizationWhoseMembershipChanged() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        tenancy = new Tenancy(http);
        platformAdmin = accounts.admin();
        Accounts.Account owner = accounts.anAccount();
        byRole.put("owner", owner);
        for (String role : List.of("admin", "auditor", "developer", "viewer", "outsider")) {
            byRole.put(role, accounts.anAccount());
        }
        temp = accounts.anAccount();
        leaver = accounts.anAccount();
        late = accounts.anAccount();
        beforeOrganization = Instant.now();
        awaitClockPast(beforeOrganization);

        // Before midway: created, 7 members (the owner's own membership included, six invited and accepted), a rename.
        organization = tenancy.anOrganization(owner);
        for (String role : List.of("admin", "auditor", "developer", "viewer")) {
            tenancy.addMember(owner, organization, byRole.get(role), role);
        }
        tenancy.addMember(owner, organization, temp, "viewer");
        tenancy.addMember(owner, organization, leaver, "developer");
        ok(http.bearer(owner.accessToken()).patch("/api/v1/organizations/" + organization,
                Http.json("name", "Reported once")));

        midway = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        awaitClockPast(midway);

        // After midway: a role change, a removal and a rename by the owner; a rename and an addition by the admin.
        Http asOwner = http.bearer(owner.accessToken());
        ok(asOwner.patch("/api/v1/organizations/" + organization + "/members/" + temp.userId(),
                Http.json("role", "developer")));
        ok(asOwner.delete("/api/v1/organizations/" + organization + "/members/" + leaver.userId()));
        ok(asOwner.patch("/api/v1/organizations/" + organization, Http.json("name", "Reported twice")));
        Accounts.Account admin = byRole.get("admin");
        ok(http.bearer(admin.accessToken()).patch("/api/v1/organizations/" + organization,
                Http.json("name", "Reported thrice")));
        tenancy.addMember(admin, organization, late, "auditor");

        AuditTrail.awaitCaughtUp();
    }

    /** Waits (without sleeping) until the clock is a whole millisecond past {@code instant}. */
    private static void awaitClockPast(Instant instant) {
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(1))
                .until(() -> Instant.now().isAfter(instant.plusMillis(1)));
    }

    private Http.Response access(Accounts.Account account, String query) {
        return http.bearer(account.accessToken()).get("/api/v1/reports/access?organization_id=" + organization + query);
    }

    private Http.Response changes(Accounts.Account account, String query) {
        return http.bearer(account.accessToken()).get("/api/v1/reports/changes?organization_id=" + organization + query);
    }

    private static String encode(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    /** user id → role of every row of an access report. */
    private static Map<String, String> roles(JsonNode report) {
        Map<String, String> roles = new LinkedHashMap<>();
        report.path("members").forEach(m -> roles.put(m.path("user_id").asText(), m.path("role").asText()));
        return roles;
    }

    /** "action by actor" → count of a changes report. */
    private static Map<String, Long> counts(JsonNode report) {
        Map<String, Long> counts = new LinkedHashMap<>();
        report.path("changes").forEach(c -> counts.merge(c.path("action").asText() + " by "
                + c.path("actor_id").asText(), c.path("count").asLong(), Long::sum));
        return counts;
    }

    private String by(String role) {
        return by(byRole.get(role));
    }

    private static String by(Accounts.Account actor) {
        return " by " + actor.userId();
    }

    /**
     * The changes before midway: the organization created with its owner's membership, six
     * invitations by the owner, each accepted by its invitee (who is the actor of the acceptance
     * and of the membership it begins), and a rename.
     */
    private Map<String, Long> beforeMidway() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("organization.created" + by("owner"), 1L);
        counts.put("organization.member_added" + by("owner"), 1L);
        counts.put("organization.member_invited" + by("owner"), 6L);
        for (Accounts.Account invitee : List.of(byRole.get("admin"), byRole.get("auditor"), byRole.get("developer"),
                byRole.get("viewer"), temp, leaver)) {
            counts.put("organization.member_invitation_accepted" + by(invitee), 1L);
            counts.put("organization.member_added" + by(invitee), 1L);
        }
        counts.put("organization.renamed" + by("owner"), 1L);
        return counts;
    }

    /** The changes after midway: a role change, a removal and a rename by the owner; the admin's rename and invitation. */
    private Map<String, Long> afterMidway() {
        return Map.of(
                "organization.member_role_changed" + by("owner"), 1L,
                "organization.member_removed" + by("owner"), 1L,
                "organization.renamed" + by("owner"), 1L,
                "organization.renamed" + by("admin"), 1L,
                "organization.member_invited" + by("admin"), 1L,
                "organization.member_invitation_accepted" + by(late), 1L,
                "organization.member_added" + by(late), 1L);
    }

    // ---- access --------------------------------------------------------------------------------

    @Test
    void given_an_organization_when_reporting_access_now_then_every_current_member_is_listed_with_their_role() {
        JsonNode report = ok(access(byRole.get("auditor"), ""));

        assertThat(report.path("organization_id").asText()).isEqualTo(organization);
        assertThat(roles(report)).containsOnly(
                Map.entry(byRole.get("owner").userId(), "owner"),
                Map.entry(byRole.get("admin").userId(), "admin"),
                Map.entry(byRole.get("auditor").userId(), "auditor"),
                Map.entry(byRole.get("developer").userId(), "developer"),
                Map.entry(byRole.get("viewer").userId(), "viewer"),
                Map.entry(temp.userId(), "developer"),
                Map.entry(late.userId(), "auditor"));
    }

    @Test
    void given_an_organization_when_reporting_access_then_each_member_has_the_permissions_of_their_role() {
        JsonNode report = ok(access(byRole.get("owner"), ""));

        assertThat(report.path("members")).isNotEmpty().allSatisfy(member -> {
            List<String> permissions = new ArrayList<>();
            member.path("permissions").forEach(p -> permissions.add(p.asText()));
            assertThat(permissions).as(member.toString())
                    .containsExactlyInAnyOrderElementsOf(PERMISSIONS.get(member.path("role").asText()));
        });
    }

    @Test
    void given_an_organization_when_reporting_access_then_each_row_names_the_member() {
        JsonNode report = ok(access(byRole.get("owner"), ""));

        JsonNode viewer = null;
        for (JsonNode member : report.path("members")) {
            if (member.path("user_id").asText().equals(byRole.get("viewer").userId())) {
                viewer = member;
            }
        }
        assertThat(viewer).as(report.toString()).isNotNull();
        assertThat(viewer.path("email").asText()).isEqualTo(byRole.get("viewer").email());
        assertThat(viewer.path("status").asText()).isEqualTo("active");
        assertThat(Instant.parse(viewer.path("member_since").asText())).isBefore(midway);
    }

    @Test
    void given_membership_changes_when_reporting_access_as_of_an_earlier_instant_then_the_membership_of_that_instant_is_listed() {
        Http.Response response = access(byRole.get("owner"), "&as_of=" + encode(midway));

        JsonNode report = ok(response);
        assertThat(roles(report)).containsOnly(
                Map.entry(byRole.get("owner").userId(), "owner"),
                Map.entry(byRole.get("admin").userId(), "admin"),
                Map.entry(byRole.get("auditor").userId(), "auditor"),
                Map.entry(byRole.get("developer").userId(), "developer"),
                Map.entry(byRole.get("viewer").userId(), "viewer"),
                Map.entry(temp.userId(), "viewer"),
                Map.entry(leaver.userId(), "developer"));
        assertThat(Instant.parse(report.path("as_of").asText())).isEqualTo(midway);
        assertThat(Instant.parse(response.body().path("meta").path("as_of").asText())).isEqualTo(midway);
        report.path("members").forEach(member -> assertThat(member.path("permissions").size())
                .isEqualTo(PERMISSIONS.get(member.path("role").asText()).size()));
    }

    @Test
    void given_an_instant_before_the_organization_existed_when_reporting_access_as_of_it_then_404() {
        Http.Response response = access(byRole.get("owner"), "&as_of=" + encode(beforeOrganization));

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void given_a_malformed_as_of_when_reporting_access_then_400() {
        Http.Response response = access(byRole.get("owner"), "&as_of=last-tuesday");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    // ---- changes -------------------------------------------------------------------------------

    @Test
    void given_changes_by_two_actors_when_reporting_changes_without_a_period_then_each_action_and_actor_is_counted() {
        JsonNode report = ok(changes(byRole.get("owner"), ""));

        Map<String, Long> expected = new LinkedHashMap<>(beforeMidway());
        expected.putAll(afterMidway());
        expected.put("organization.renamed" + by("owner"), 2L);
        assertThat(counts(report)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(report.path("total").asLong()).isEqualTo(28);
    }

    @Test
    void given_changes_when_reporting_them_then_each_count_names_resource_type_and_actor_type() {
        JsonNode report = ok(changes(byRole.get("owner"), ""));

        assertThat(report.path("changes")).isNotEmpty().allSatisfy(change -> {
            assertThat(change.path("resource_type").asText()).isEqualTo("organization");
            assertThat(change.path("actor_type").asText()).isEqualTo("user");
        });
    }

    @Test
    void given_a_period_from_midway_when_reporting_changes_then_only_the_later_changes_are_counted() {
        JsonNode report = ok(changes(byRole.get("owner"), "&from=" + encode(midway)));

        assertThat(counts(report)).containsExactlyInAnyOrderEntriesOf(afterMidway());
        assertThat(report.path("total").asLong()).isEqualTo(7);
        assertThat(Instant.parse(report.path("from").asText())).isEqualTo(midway);
    }

    @Test
    void given_a_period_up_to_midway_when_reporting_changes_then_only_the_earlier_changes_are_counted() {
        JsonNode report = ok(changes(byRole.get("owner"), "&to=" + encode(midway)));

        assertThat(counts(report)).containsExactlyInAnyOrderEntriesOf(beforeMidway());
        assertThat(report.path("total").asLong()).isEqualTo(21);
    }

    @Test
    void given_a_period_before_the_organization_when_reporting_changes_then_nothing_is_counted() {
        JsonNode report = ok(changes(byRole.get("owner"), "&to=" + encode(beforeOrganization)));

        assertThat(report.path("changes")).isEmpty();
        assertThat(report.path("total").asLong()).isZero();
    }

    @Test
    void given_a_malformed_from_when_reporting_changes_then_400() {
        Http.Response response = changes(byRole.get("owner"), "&from=soon");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    // ---- who may read them ----------------------------------------------------------------------

    Stream<Arguments> reportsAndRoles() {
        List<Arguments> cases = new ArrayList<>();
        for (String report : List.of("access", "changes")) {
            cases.add(Arguments.of(report, "owner", 200, null));
            cases.add(Arguments.of(report, "admin", 200, null));
            cases.add(Arguments.of(report, "auditor", 200, null));
            cases.add(Arguments.of(report, "developer", 403, "FORBIDDEN"));
            cases.add(Arguments.of(report, "viewer", 403, "FORBIDDEN"));
            cases.add(Arguments.of(report, "outsider", 404, "NOT_FOUND"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1} → {2}")
    @MethodSource("reportsAndRoles")
    void given_a_role_in_the_organization_when_reading_a_report_then_only_owner_admin_and_auditor_may(
            String report, String role, int status, String code) {
        Accounts.Account account = byRole.get(role);

        Http.Response response = report.equals("access") ? access(account, "") : changes(account, "");

        assertThat(response.status()).as(report + " as " + role + ": " + response).isEqualTo(status);
        if (code != null) {
            assertThat(response.errorCode()).isEqualTo(code);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"access", "changes"})
    void given_a_token_with_audit_read_when_reading_a_report_then_200(String report) {
        Tenancy.Pat pat = tenancy.aPat(byRole.get("owner"), List.of("audit:read"), null, null);

        Http.Response response = http.bearer(pat.token()).get("/api/v1/reports/" + report + "?organization_id="
                + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"access", "changes"})
    void given_a_token_without_audit_read_when_reading_a_report_then_403_invalid_scope(String report) {
        Tenancy.Pat pat = tenancy.aPat(byRole.get("owner"), List.of("read"), null, null);

        Http.Response response = http.bearer(pat.token()).get("/api/v1/reports/" + report + "?organization_id="
                + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("INVALID_SCOPE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"access", "changes"})
    void given_no_organization_id_when_reading_a_report_then_400(String report) {
        Http.Response response = http.bearer(byRole.get("owner").accessToken()).get("/api/v1/reports/" + report);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"access", "changes"})
    void given_the_platform_admin_who_is_no_member_when_reading_a_report_then_200_as_for_the_audit(String report) {
        Http.Response response = http.bearer(platformAdmin.accessToken()).get("/api/v1/reports/" + report
                + "?organization_id=" + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("organization_id").asText()).isEqualTo(organization);
    }
}
