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
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail of API.md §10 over real HTTP: after a series of actions in one organization the
 * asynchronous audit processor lists them with every field of the contract; every filter narrows
 * the list exactly; cursor paging walks it without gaps or duplicates; one entry comes with the
 * proof of its place in the hash chain; the export streams every matching entry; and only the roles
 * (and token scopes) API.md §4 allows read it.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailHttpTest {

    private static final String EVENTS = "/api/v1/audit/events";
    private static final String USER_AGENT = "AuditTrailHttpTest/1.0 (+" + UUID.randomUUID() + ")";
    private static final List<String> ENTRY_FIELDS = List.of("id", "sequence", "occurred_at", "organization_id",
            "project_id", "actor", "action", "resource", "request_id", "ip", "user_agent", "changes", "prev_hash",
            "hash");

    @LocalServerPort
    int port;

    private Http http;
    private Tenancy tenancy;
    private Accounts.Account owner;
    private Accounts.Account platformAdmin;
    private final Map<String, Accounts.Account> byRole = new LinkedHashMap<>();
    private String organization;
    private String otherOrganization;
    private String project;

    /** What each audited action was: its action name, actor and the request id that caused it, oldest first. */
    private record Expected(String action, String actorId, String requestId) {
    }

    private final List<Expected> expected = new ArrayList<>();
    private final Map<String, String> requestIds = new LinkedHashMap<>();
    /** Every entry of {@link #organization} as the owner lists it, newest first. */
    private List<JsonNode> entries;

    @BeforeAll
    void anOrganizationWithAHistory() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        tenancy = new Tenancy(http);
        platformAdmin = accounts.admin();
        owner = accounts.anAccount();
        byRole.put("owner", owner);
        for (String role : List.of("admin", "auditor", "developer", "viewer", "outsider")) {
            byRole.put(role, accounts.anAccount());
        }

        organization = ok("create organization", as(owner, "create-org").post("/api/v1/organizations",
                Http.json("slug", Tenancy.uniqueSlug("audit"), "name", "Audited"))).path("id").asText();
        expected.add(new Expected("organization.created", owner.userId(), requestIds.get("create-org")));
        expected.add(new Expected("organization.member_added", owner.userId(), requestIds.get("create-org")));

        ok("rename organization", as(owner, "rename-org").patch("/api/v1/organizations/" + organization,
                Http.json("name", "Audited and renamed")));
        expected.add(new Expected("organization.renamed", owner.userId(), requestIds.get("rename-org")));

        for (String role : List.of("admin", "auditor", "developer", "viewer")) {
            // Nobody joins without consent: the owner invites, the invitee accepts.
            Accounts.Account invitee = byRole.get(role);
            String invitation = ok("invite " + role, as(owner, "invite-" + role).post("/api/v1/organizations/"
                    + organization + "/members", Http.json("email", invitee.email(), "role", role)))
                    .path("invitation_id").asText();
            expected.add(new Expected("organization.member_invited", owner.userId(), requestIds.get("invite-" + role)));
            ok("accept " + role, as(invitee, "accept-" + role).post("/api/v1/auth/invitations/" + invitation
                    + "/accept", null));
            expected.add(new Expected("organization.member_invitation_accepted", invitee.userId(),
                    requestIds.get("accept-" + role)));
            expected.add(new Expected("organization.member_added", invitee.userId(), requestIds.get("accept-" + role)));
        }

        project = ok("create project", as(owner, "create-project").post("/api/v1/projects",
                Http.json("organization_id", organization, "name", "Audited project"))).path("id").asText();
        expected.add(new Expected("project.created", owner.userId(), requestIds.get("create-project")));
        expected.add(new Expected("group.created", owner.userId(), requestIds.get("create-project")));

        ok("rename project", as(owner, "rename-project").patch("/api/v1/projects/" + project,
                Http.json("name", "Audited project renamed")));
        expected.add(new Expected("project.renamed", owner.userId(), requestIds.get("rename-project")));

        Accounts.Account admin = byRole.get("admin");
        ok("rename organization as admin", as(admin, "rename-by-admin").patch("/api/v1/organizations/" + organization,
                Http.json("name", "Renamed by the admin")));
        expected.add(new Expected("organization.renamed", admin.userId(), requestIds.get("rename-by-admin")));

        otherOrganization = tenancy.anOrganization(owner);

        AuditTrail.awaitCaughtUp();
        entries = AuditTrail.list(http.bearer(owner.accessToken()), "organization_id=" + organization);
    }

    /** The owner's client with a fresh X-Request-ID (remembered under {@code name}) and this test's User-Agent. */
    private Http as(Accounts.Account account, String name) {
        String requestId = "audit-" + name + "-" + UUID.randomUUID();
        requestIds.put(name, requestId);
        return http.bearer(account.accessToken()).with("X-Request-ID", requestId).with("User-Agent", USER_AGENT);
    }

    private Http.Response list(Accounts.Account account, String query) {
        return http.bearer(account.accessToken()).get(EVENTS + "?" + query);
    }

    private JsonNode entry(String action) {
        return entries.stream().filter(e -> e.path("action").asText().equals(action)).findFirst().orElseThrow(
                () -> new AssertionError("no " + action + " entry in " + entries));
    }

    /** The entries of a successful list answer. */
    private static List<JsonNode> items(Http.Response response) {
        List<JsonNode> items = new ArrayList<>();
        ok(response).forEach(items::add);
        return items;
    }

    private List<String> ids(List<JsonNode> list) {
        return list.stream().map(e -> e.path("id").asText()).toList();
    }

    private List<String> idsWhere(Predicate<JsonNode> predicate) {
        return ids(entries.stream().filter(predicate).toList());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- the list ---------------------------------------------------------------------------

    @Test
    void given_actions_in_an_organization_when_listing_its_audit_then_each_is_one_entry_newest_first() {
        List<Expected> newestFirst = new ArrayList<>(expected);
        Collections.reverse(newestFirst);

        assertThat(entries).extracting(e -> new Expected(e.path("action").asText(),
                e.path("actor").path("id").asText(), e.path("request_id").asText()))
                .containsExactlyElementsOf(newestFirst);
        assertThat(entries).extracting(e -> e.path("sequence").asLong()).isSortedAccordingTo(Collections.reverseOrder());
    }

    @Test
    void given_a_project_created_when_reading_its_entry_then_it_has_every_field_of_the_contract() {
        Instant now = Instant.now();
        JsonNode created = entry("project.created");

        List<String> fields = new ArrayList<>();
        created.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrderElementsOf(ENTRY_FIELDS);
        assertThat(created.path("id").asText()).matches("evt_[0-9a-f]{32}");
        assertThat(created.path("sequence").isIntegralNumber()).isTrue();
        assertThat(created.path("sequence").asLong()).isPositive();
        assertThat(Instant.parse(created.path("occurred_at").asText())).isBefore(now).isAfter(now.minusSeconds(600));
        assertThat(created.path("organization_id").asText()).isEqualTo(organization);
        assertThat(created.path("project_id").asText()).isEqualTo(project);
        assertThat(created.path("actor").path("type").asText()).isEqualTo("user");
        assertThat(created.path("actor").path("id").asText()).isEqualTo(owner.userId());
        assertThat(created.path("actor").path("impersonator_id").isNull()).isTrue();
        assertThat(created.path("action").asText()).isEqualTo("project.created");
        assertThat(created.path("resource").path("type").asText()).isEqualTo("project");
        assertThat(created.path("resource").path("id").asText()).isEqualTo(project);
        assertThat(created.path("request_id").asText()).isEqualTo(requestIds.get("create-project"));
        assertThat(created.path("ip").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(created.path("user_agent").asText()).isEqualTo(USER_AGENT);
        assertThat(created.path("changes").path("project_id").asText()).isEqualTo(project);
        assertThat(created.path("changes").path("organization_id").asText()).isEqualTo(organization);
        assertThat(created.path("changes").path("name").asText()).isEqualTo("Audited project");
        assertThat(created.path("prev_hash").asText()).matches("[0-9a-f]{64}");
        assertThat(created.path("hash").asText()).matches("[0-9a-f]{64}");
    }

    @Test
    void given_a_project_created_when_reading_its_entry_then_the_service_key_hash_is_redacted() {
        JsonNode changes = entry("project.created").path("changes");

        assertThat(changes.has("service_key_hash")).as(changes.toString()).isTrue();
        assertThat(changes.path("service_key_hash").asText()).isEqualTo("[redacted]");
    }

    @Test
    void given_a_new_account_when_reading_its_registration_as_platform_admin_then_the_password_hash_is_redacted_and_the_email_shown() {
        Http.Response response = list(platformAdmin, "action=user.registered&resource_id=" + owner.userId());

        JsonNode registered = ok(response).get(0);
        assertThat(ok(response)).hasSize(1);
        assertThat(registered.path("organization_id").isNull()).isTrue();
        assertThat(registered.path("changes").path("password_hash").asText()).isEqualTo("[redacted]");
        assertThat(registered.path("changes").path("email").asText()).isEqualTo(owner.email());
    }

    // ---- filters -----------------------------------------------------------------------------

    @Test
    void given_two_organizations_when_filtering_by_organization_id_then_only_that_organizations_entries_are_listed() {
        List<JsonNode> other = AuditTrail.list(http.bearer(owner.accessToken()), "organization_id=" + otherOrganization);

        assertThat(entries).hasSize(expected.size())
                .allSatisfy(e -> assertThat(e.path("organization_id").asText()).isEqualTo(organization));
        assertThat(other).extracting(e -> e.path("action").asText())
                .containsExactly("organization.member_added", "organization.created");
        assertThat(other).allSatisfy(e -> assertThat(e.path("organization_id").asText()).isEqualTo(otherOrganization));
    }

    @Test
    void given_a_project_when_filtering_by_project_id_then_only_its_entries_are_listed() {
        List<JsonNode> listed = items(list(owner, "organization_id=" + organization + "&project_id=" + project));

        assertThat(ids(listed)).containsExactlyElementsOf(idsWhere(e -> project.equals(e.path("project_id").asText())));
        assertThat(listed).extracting(e -> e.path("action").asText())
                .containsExactly("project.renamed", "group.created", "project.created");
    }

    @Test
    void given_two_actors_when_filtering_by_actor_id_then_only_the_entries_of_that_actor_are_listed() {
        String admin = byRole.get("admin").userId();

        List<JsonNode> listed = items(list(owner, "organization_id=" + organization + "&actor_id=" + admin));

        assertThat(listed).extracting(e -> e.path("request_id").asText())
                .containsExactly(requestIds.get("rename-by-admin"), requestIds.get("accept-admin"),
                        requestIds.get("accept-admin"));
        assertThat(ids(items(list(owner, "organization_id=" + organization + "&actor_id=" + owner.userId()))))
                .containsExactlyElementsOf(
                idsWhere(e -> owner.userId().equals(e.path("actor").path("id").asText())));
    }

    @Test
    void given_several_actions_when_filtering_by_action_then_only_entries_of_that_action_are_listed() {
        List<JsonNode> listed = items(list(owner, "organization_id=" + organization
                + "&action=organization.member_added"));

        assertThat(listed).hasSize(5);
        assertThat(ids(listed)).containsExactlyElementsOf(
                idsWhere(e -> e.path("action").asText().equals("organization.member_added")));
    }

    @Test
    void given_several_resource_types_when_filtering_by_resource_type_then_only_that_type_is_listed() {
        List<JsonNode> projects = items(list(owner, "organization_id=" + organization + "&resource_type=project"));
        List<JsonNode> groups = items(list(owner, "organization_id=" + organization + "&resource_type=group"));

        assertThat(projects).extracting(e -> e.path("action").asText())
                .containsExactly("project.renamed", "project.created");
        assertThat(groups).extracting(e -> e.path("action").asText()).containsExactly("group.created");
    }

    @Test
    void given_several_resources_when_filtering_by_resource_id_then_only_that_resource_is_listed() {
        List<JsonNode> listed = items(list(owner, "organization_id=" + organization + "&resource_id=" + project));

        assertThat(listed).extracting(e -> e.path("action").asText())
                .containsExactly("project.renamed", "project.created");
        assertThat(listed).allSatisfy(e -> assertThat(e.path("resource").path("id").asText()).isEqualTo(project));
    }

    @Test
    void given_a_period_when_filtering_by_from_and_to_then_only_entries_at_or_after_from_and_before_to_are_listed() {
        List<JsonNode> oldestFirst = new ArrayList<>(entries);
        Collections.reverse(oldestFirst);
        String from = oldestFirst.get(2).path("occurred_at").asText();
        String to = oldestFirst.get(8).path("occurred_at").asText();
        Instant start = Instant.parse(from);
        Instant end = Instant.parse(to);

        List<JsonNode> listed = items(list(owner, "organization_id=" + organization + "&from=" + encode(from)
                + "&to=" + encode(to)));

        List<String> inPeriod = idsWhere(e -> {
            Instant at = Instant.parse(e.path("occurred_at").asText());
            return !at.isBefore(start) && at.isBefore(end);
        });
        assertThat(inPeriod).isNotEmpty().hasSizeLessThan(entries.size());
        assertThat(ids(listed)).containsExactlyElementsOf(inPeriod);
    }

    @Test
    void given_only_from_when_filtering_then_entries_before_it_are_left_out() {
        String from = entries.get(0).path("occurred_at").asText();

        List<JsonNode> listed = items(list(owner, "organization_id=" + organization + "&from=" + encode(from)));

        assertThat(ids(listed)).contains(entries.get(0).path("id").asText())
                .doesNotContain(entries.get(entries.size() - 1).path("id").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"from=yesterday", "to=2026-13-45T00:00:00Z", "limit=0", "limit=1001", "cursor=abc"})
    void given_a_malformed_parameter_when_listing_then_400(String parameter) {
        Http.Response response = list(owner, "organization_id=" + organization + "&" + parameter);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    // ---- paging ------------------------------------------------------------------------------

    @Test
    void given_more_entries_than_the_limit_when_walking_next_cursor_then_every_entry_comes_once_in_order() {
        List<String> walked = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response page = list(owner, "organization_id=" + organization + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            JsonNode meta = page.body().path("meta").path("page");
            assertThat(ok(page).size()).isLessThanOrEqualTo(3);
            assertThat(meta.path("limit").asInt()).isEqualTo(3);
            ok(page).forEach(e -> walked.add(e.path("id").asText()));
            hasMore.add(meta.path("has_more").asBoolean());
            cursor = meta.path("next_cursor").isNull() ? null : meta.path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 100);

        assertThat(walked).doesNotHaveDuplicates().containsExactlyElementsOf(ids(entries));
        assertThat(pages).isEqualTo((entries.size() + 2) / 3);
        assertThat(hasMore.subList(0, pages - 1)).containsOnly(true);
        assertThat(hasMore.get(pages - 1)).isFalse();
    }

    // ---- one entry and its proof -----------------------------------------------------------

    @Test
    void given_an_entry_when_reading_it_by_id_then_sha256_of_prev_hash_and_canonical_is_its_hash() throws Exception {
        for (JsonNode listed : entries) {
            JsonNode proof = ok(http.bearer(owner.accessToken()).get(EVENTS + "/" + listed.path("id").asText()));

            String recomputed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    (proof.path("prev_hash").asText() + proof.path("canonical").asText())
                            .getBytes(StandardCharsets.UTF_8)));
            assertThat(recomputed).as("hash of " + listed).isEqualTo(listed.path("hash").asText())
                    .isEqualTo(proof.path("hash").asText());
            assertThat(proof.path("prev_hash").asText()).isEqualTo(listed.path("prev_hash").asText());
        }
    }

    @Test
    void given_an_entry_when_reading_its_canonical_json_then_it_is_the_entry_sorted_without_spaces_and_personal_data_sealed() {
        JsonNode listed = entry("project.created");
        JsonNode proof = ok(http.bearer(owner.accessToken()).get(EVENTS + "/" + listed.path("id").asText()));
        String canonical = proof.path("canonical").asText();
        JsonNode hashed = Http.JSON.valueToTree(parse(canonical));

        assertThat(canonical).isEqualTo(Canonical.of(hashed));
        assertThat(hashed.has("hash")).isFalse();
        for (String field : List.of("id", "sequence", "occurred_at", "organization_id", "project_id", "action",
                "resource", "request_id", "prev_hash")) {
            assertThat(hashed.get(field)).as(field).isEqualTo(listed.get(field));
        }
        assertThat(hashed.path("actor").path("id").asText()).isEqualTo(owner.userId());
        // The IP address and user agent are the actor's personal data: sealed under the actor's key.
        assertThat(hashed.path("ip").asText()).startsWith("pd1:" + owner.userId() + ":");
        assertThat(hashed.path("user_agent").asText()).startsWith("pd1:" + owner.userId() + ":");
        assertThat(canonical).doesNotContain(USER_AGENT);
    }

    private static JsonNode parse(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("canonical is not JSON: " + json, e);
        }
    }

    @Test
    void given_an_entry_when_reading_it_by_id_then_its_prev_hash_is_the_hash_of_the_entry_before_it() {
        for (JsonNode listed : entries) {
            long sequence = listed.path("sequence").asLong();
            Http.Response before = list(platformAdmin, "limit=1&cursor=" + sequence);

            JsonNode previous = ok(before).get(0);
            assertThat(previous.path("sequence").asLong()).isEqualTo(sequence - 1);
            assertThat(listed.path("prev_hash").asText()).as("prev_hash of " + listed)
                    .isEqualTo(previous.path("hash").asText());
        }
    }

    @Test
    void given_an_unknown_id_when_reading_it_then_404() {
        Http.Response response = http.bearer(owner.accessToken()).get(EVENTS + "/evt_00000000000000000000000000000000");

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
    }

    // ---- verify ------------------------------------------------------------------------------

    @Test
    void given_an_untouched_trail_when_the_owner_verifies_the_organization_then_it_is_verified_over_its_entries() {
        JsonNode verification = ok(http.bearer(owner.accessToken()).get("/api/v1/audit/verify?organization_id="
                + organization));

        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("checked").asLong()).isEqualTo(entries.size());
        assertThat(verification.path("head_hash").asText()).isEqualTo(entries.get(0).path("hash").asText());
        assertThat(verification.path("first_broken_id").isNull()).isTrue();
    }

    // ---- export ------------------------------------------------------------------------------

    @Test
    void given_an_organization_when_exporting_jsonl_then_every_entry_is_one_line_oldest_first() throws Exception {
        Http.Response response = http.bearer(owner.accessToken()).get("/api/v1/audit/export?format=jsonl&organization_id="
                + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/x-ndjson");
        List<String> lines = response.text().lines().toList();
        List<JsonNode> oldestFirst = new ArrayList<>(entries);
        Collections.reverse(oldestFirst);
        assertThat(lines).hasSize(entries.size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(Http.JSON.readTree(lines.get(i))).isEqualTo(oldestFirst.get(i));
        }
    }

    @Test
    void given_an_organization_when_exporting_csv_then_a_header_and_one_row_per_entry_oldest_first() {
        Http.Response response = http.bearer(owner.accessToken()).get("/api/v1/audit/export?format=csv&organization_id="
                + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/csv");
        List<String> lines = response.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("id,sequence,occurred_at,organization_id,project_id,actor_type,actor_id,"
                + "impersonator_id,action,resource_type,resource_id,request_id,ip,user_agent,changes,prev_hash,hash");
        List<String> rowIds = lines.subList(1, lines.size()).stream().map(line -> line.substring(0, line.indexOf(',')))
                .toList();
        List<String> oldestFirst = new ArrayList<>(ids(entries));
        Collections.reverse(oldestFirst);
        assertThat(rowIds).containsExactlyElementsOf(oldestFirst);
        assertThat(lines.get(lines.size() - 1)).endsWith("," + entries.get(0).path("hash").asText());
    }

    @Test
    void given_a_filter_when_exporting_then_only_matching_entries_are_exported() {
        Http.Response response = http.bearer(owner.accessToken()).get("/api/v1/audit/export?format=jsonl&organization_id="
                + organization + "&action=organization.renamed");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.text().lines().toList()).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("\"action\":\"organization.renamed\""));
    }

    @Test
    void given_the_platform_admin_when_exporting_everything_then_the_lines_equal_the_entries_of_the_list() {
        AuditTrail.awaitCaughtUp();
        List<JsonNode> all = AuditTrail.list(http.bearer(platformAdmin.accessToken()), "");

        Http.Response response = http.bearer(platformAdmin.accessToken()).get("/api/v1/audit/export?format=jsonl");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> lines = response.text().lines().toList();
        assertThat(lines).hasSize(all.size());
        assertThat(lines.get(0)).contains("\"sequence\":1,");
    }

    @Test
    void given_an_unknown_format_when_exporting_then_400() {
        Http.Response response = http.bearer(owner.accessToken()).get("/api/v1/audit/export?format=xml&organization_id="
                + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    // ---- who may read it ---------------------------------------------------------------------

    Stream<Arguments> routesAndRoles() {
        List<Arguments> cases = new ArrayList<>();
        for (String route : List.of("list", "entry", "verify", "export", "checkpoints")) {
            cases.add(Arguments.of(route, "owner", 200, null));
            cases.add(Arguments.of(route, "admin", 200, null));
            cases.add(Arguments.of(route, "auditor", 200, null));
            cases.add(Arguments.of(route, "developer", 403, "FORBIDDEN"));
            cases.add(Arguments.of(route, "viewer", 403, "FORBIDDEN"));
            cases.add(Arguments.of(route, "outsider", 404, "NOT_FOUND"));
        }
        return cases.stream();
    }

    private String route(String route) {
        return switch (route) {
            case "list" -> EVENTS + "?organization_id=" + organization;
            case "entry" -> EVENTS + "/" + entry("project.created").path("id").asText();
            case "verify" -> "/api/v1/audit/verify?organization_id=" + organization;
            case "export" -> "/api/v1/audit/export?format=jsonl&organization_id=" + organization;
            case "checkpoints" -> "/api/v1/audit/checkpoints?organization_id=" + organization;
            default -> throw new IllegalArgumentException(route);
        };
    }

    @ParameterizedTest(name = "{0} as {1} → {2}")
    @MethodSource("routesAndRoles")
    void given_a_role_in_the_organization_when_reading_its_audit_then_only_owner_admin_and_auditor_may(
            String route, String role, int status, String code) {
        Http.Response response = http.bearer(byRole.get(role).accessToken()).get(route(route));

        assertThat(response.status()).as(route + " as " + role + ": " + response).isEqualTo(status);
        if (code != null) {
            assertThat(response.errorCode()).isEqualTo(code);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "entry", "verify", "export", "checkpoints"})
    void given_a_token_with_audit_read_when_reading_the_audit_then_200(String route) {
        Tenancy.Pat pat = tenancy.aPat(owner, List.of("audit:read"), null, null);

        Http.Response response = http.bearer(pat.token()).get(route(route));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "entry", "verify", "export", "checkpoints"})
    void given_a_token_without_audit_read_when_reading_the_audit_then_403_invalid_scope(String route) {
        Tenancy.Pat pat = tenancy.aPat(owner, List.of("read", "write"), null, null);

        Http.Response response = http.bearer(pat.token()).get(route(route));

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("INVALID_SCOPE");
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENTS, "/api/v1/audit/verify", "/api/v1/audit/export?format=jsonl",
            "/api/v1/audit/checkpoints"})
    void given_no_organization_id_when_a_member_reads_the_audit_then_400(String path) {
        Http.Response response = http.bearer(owner.accessToken()).get(path);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void given_no_credentials_when_reading_the_audit_then_401() {
        Http.Response response = http.get(EVENTS + "?organization_id=" + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(401);
    }

    @Test
    void given_the_platform_admin_when_listing_without_organization_then_entries_of_every_organization_and_none_are_listed() {
        AuditTrail.awaitCaughtUp();
        List<JsonNode> all = AuditTrail.list(http.bearer(platformAdmin.accessToken()), "");

        assertThat(all).extracting(e -> e.path("id").asText()).containsAll(ids(entries));
        assertThat(all).anySatisfy(e -> assertThat(e.path("organization_id").asText()).isEqualTo(otherOrganization));
        assertThat(all).anySatisfy(e -> {
            assertThat(e.path("action").asText()).isEqualTo("user.registered");
            assertThat(e.path("organization_id").isNull()).isTrue();
        });
        assertThat(all.get(all.size() - 1).path("sequence").asLong()).isEqualTo(1);
        assertThat(all).hasSize((int) AuditTrail.count("SELECT count(*) FROM audit_entries"));
    }

    @Test
    void given_the_platform_admin_when_listing_an_organization_then_it_sees_what_the_owner_sees() {
        List<JsonNode> asAdmin = AuditTrail.list(http.bearer(platformAdmin.accessToken()),
                "organization_id=" + organization);

        assertThat(asAdmin).containsExactlyElementsOf(entries);
    }

    @Test
    void given_an_entry_without_organization_when_a_member_reads_it_by_id_then_404_but_the_platform_admin_reads_it() {
        JsonNode registered = ok(list(platformAdmin, "action=user.registered&resource_id=" + owner.userId())).get(0);
        String path = EVENTS + "/" + registered.path("id").asText();

        Http.Response asOwner = http.bearer(owner.accessToken()).get(path);
        Http.Response asAdmin = http.bearer(platformAdmin.accessToken()).get(path);

        assertThat(asOwner.status()).as(asOwner.toString()).isEqualTo(404);
        assertThat(asAdmin.status()).as(asAdmin.toString()).isEqualTo(200);
        assertThat(asAdmin.data().path("canonical").asText()).isNotBlank();
    }

    @Test
    void given_a_new_action_when_the_audit_processor_catches_up_then_it_appears_at_the_head_of_the_list() {
        String late = tenancy.anOrganization(owner);

        ok(as(owner, "late-rename").patch("/api/v1/organizations/" + late, Http.json("name", "Late")));

        await().atMost(AuditTrail.CATCH_UP).untilAsserted(() ->
                assertThat(ok(list(owner, "organization_id=" + late + "&limit=1")).path(0)
                        .path("request_id").asText()).isEqualTo(requestIds.get("late-rename")));
    }

    /** Canonical JSON exactly as AuditChain's javadoc specifies it, written independently of the production code. */
    static final class Canonical {

        static String of(JsonNode node) {
            StringBuilder out = new StringBuilder();
            write(node, out);
            return out.toString();
        }

        private static void write(JsonNode node, StringBuilder out) {
            if (node.isObject()) {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                names.sort(null);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    string(names.get(i), out);
                    out.append(':');
                    write(node.get(names.get(i)), out);
                }
                out.append('}');
            } else if (node.isArray()) {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(node.get(i), out);
                }
                out.append(']');
            } else if (node.isTextual()) {
                string(node.asText(), out);
            } else {
                out.append(node);
            }
        }

        private static void string(String value, StringBuilder out) {
            out.append('"');
            value.chars().forEach(c -> {
                if (c == '"' || c == '\\') {
                    out.append('\\').append((char) c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.append((char) c);
                }
            });
            out.append('"');
        }
    }
}
