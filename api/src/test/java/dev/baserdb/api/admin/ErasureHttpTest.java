package dev.baserdb.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.baserdb.api.support.AuditTrail.count;
import static dev.baserdb.api.support.AuditTrail.strings;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure in an immutable log (issue 4): {@code DELETE /auth/me} and {@code DELETE /admin/users/{id}}
 * destroy the account's data key. Afterwards its credentials are dead, the read models show it as
 * erased, history and audit show "[erased]" where its personal data was, replays and the audit chain
 * still work, and no byte of its email, display name or user agent is anywhere in the event store —
 * it never was, because personal data is sealed from the start.
 */
@ApiTest
class ErasureHttpTest {

    @LocalServerPort
    int port;

    private Http http;
    private Accounts accounts;
    private Tenancy tenancy;
    private Accounts.Account platformAdmin;

    /** A person who registered, created an organization and did things in it, with a co-owner beside them. */
    private record Subject(Accounts.Account account, String displayName, String userAgent, Http client,
                           String organization, Accounts.Account coOwner, Tenancy.Pat pat, Instant before) {
    }

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new Tenancy(http);
        platformAdmin = accounts.admin();
    }

    private Subject aSubject(boolean withCoOwner) {
        String email = "erasable-" + UUID.randomUUID() + "@example.com";
        String displayName = "Erin " + UUID.randomUUID();
        String userAgent = "ErasureHttpTest-" + UUID.randomUUID();
        Http.Response registered = http.with("User-Agent", userAgent).post("/api/v1/auth/register",
                Http.json("email", email, "password", Accounts.PASSWORD, "display_name", displayName));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        Accounts.Account account = new Accounts.Account(email, registered.data().path("user").path("id").asText(),
                registered.data().path("access_token").asText(), registered.data().path("refresh_token").asText());
        Http client = http.bearer(account.accessToken()).with("User-Agent", userAgent);

        String organization = ok(client.post("/api/v1/organizations",
                Http.json("slug", Tenancy.uniqueSlug("erasure"), "name", "Erin's organization"))).path("id").asText();
        ok(client.patch("/api/v1/organizations/" + organization, Http.json("name", "Erin's renamed organization")));
        ok(client.post("/api/v1/projects", Http.json("organization_id", organization, "name", "Erin's project")));
        Tenancy.Pat pat = tenancy.aPat(account, List.of("read", "audit:read"), null, null);
        Accounts.Account coOwner = null;
        if (withCoOwner) {
            coOwner = accounts.anAccount();
            String invitation = ok(client.post("/api/v1/organizations/" + organization + "/members",
                    Http.json("email", coOwner.email(), "role", "owner"))).path("invitation_id").asText();
            ok(http.bearer(coOwner.accessToken()).post("/api/v1/auth/invitations/" + invitation + "/accept", null));
        }
        Instant before = Instant.now();
        return new Subject(account, displayName, userAgent, client, organization, coOwner, pat, before);
    }

    private static Http.Response deleteMe(Subject subject, String password) {
        return subject.client().send("DELETE", "/api/v1/auth/me", Http.json("password", password), "application/json");
    }

    private Subject anErasedSubject() {
        Subject subject = aSubject(true);
        Http.Response erased = deleteMe(subject, Accounts.PASSWORD);
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        return subject;
    }

    private Http.Response login(Subject subject) {
        return http.post("/api/v1/auth/login", Http.json("email", subject.account().email(),
                "password", Accounts.PASSWORD));
    }

    /** How many stored events hold {@code text} in clear, in their payload or their metadata. */
    private static long eventsContaining(String text) {
        return count("SELECT count(*) FROM domainevententry WHERE position(convert_to(?, 'UTF8') in payload) > 0 "
                + "OR position(convert_to(?, 'UTF8') in coalesce(metadata, ''::bytea)) > 0", text, text)
                + count("SELECT count(*) FROM snapshotevententry WHERE position(convert_to(?, 'UTF8') in payload) > 0 "
                + "OR position(convert_to(?, 'UTF8') in coalesce(metadata, ''::bytea)) > 0", text, text);
    }

    private static long auditEntriesContaining(String text) {
        return count("SELECT count(*) FROM audit_entries a WHERE position(? in a::text) > 0", text);
    }

    private static long dataKeys(String userId) {
        // An erased subject keeps a tombstone row without a key (it blocks a new key): count keys only.
        return count("SELECT count(*) FROM data_keys WHERE subject_id = ? AND sealed_key IS NOT NULL", userId);
    }

    private static List<String> userRow(String userId) {
        return strings("SELECT u::text FROM users u WHERE id = ?", userId);
    }

    // ---- refused erasures change nothing ------------------------------------------------------

    @Test
    void given_a_wrong_password_when_deleting_the_account_then_401_invalid_credentials_and_nothing_changes() {
        Subject subject = aSubject(true);
        List<String> row = userRow(subject.account().userId());
        long events = Tenancy.eventCount(subject.account().userId());

        Http.Response response = deleteMe(subject, "not the password");

        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(userRow(subject.account().userId())).isEqualTo(row);
        assertThat(Tenancy.eventCount(subject.account().userId())).isEqualTo(events);
        assertThat(dataKeys(subject.account().userId())).isEqualTo(1);
        assertThat(subject.client().get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(login(subject).status()).isEqualTo(200);
    }

    @Test
    void given_the_last_owner_of_an_organization_when_deleting_the_account_then_409_and_nothing_changes() {
        Subject subject = aSubject(false);
        List<String> row = userRow(subject.account().userId());
        long events = Tenancy.eventCount(subject.account().userId());

        Http.Response response = deleteMe(subject, Accounts.PASSWORD);

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo("CONFLICT");
        assertThat(userRow(subject.account().userId())).isEqualTo(row);
        assertThat(Tenancy.eventCount(subject.account().userId())).isEqualTo(events);
        // OrganizationCreated, MemberAdded (the owner), OrganizationRenamed: no MemberRemoved.
        assertThat(Tenancy.eventCount(subject.organization())).isEqualTo(3);
        assertThat(dataKeys(subject.account().userId())).isEqualTo(1);
        assertThat(ok(subject.client().get("/api/v1/organizations/" + subject.organization() + "/members")))
                .extracting(m -> m.path("user_id").asText()).containsExactly(subject.account().userId());
        assertThat(login(subject).status()).isEqualTo(200);
    }

    // ---- what an erasure does -----------------------------------------------------------------

    @Test
    void given_the_right_password_when_deleting_the_account_then_200_and_the_account_is_erased() {
        Subject subject = aSubject(true);

        Http.Response response = deleteMe(subject, Accounts.PASSWORD);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("id").asText()).isEqualTo(subject.account().userId());
        assertThat(response.data().path("erased").asBoolean()).isTrue();
    }

    @Test
    void given_an_erased_account_when_using_its_access_refresh_and_personal_access_tokens_then_401() {
        Subject subject = anErasedSubject();

        Http.Response access = subject.client().get("/api/v1/auth/me");
        Http.Response refresh = http.post("/api/v1/auth/refresh",
                Http.json("refresh_token", subject.account().refreshToken()));
        Http.Response pat = http.bearer(subject.pat().token()).get("/api/v1/organizations");

        assertThat(access.status()).as(access.toString()).isEqualTo(401);
        assertThat(refresh.status()).as(refresh.toString()).isEqualTo(401);
        assertThat(pat.status()).as(pat.toString()).isEqualTo(401);
    }

    @Test
    void given_an_erased_account_when_logging_in_then_401_invalid_credentials() {
        Subject subject = anErasedSubject();

        Http.Response response = login(subject);

        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void given_an_erased_account_when_reading_the_users_read_model_then_it_is_erased_without_personal_data() {
        Subject subject = anErasedSubject();

        List<String> row = strings("SELECT status || '|' || email || '|' || coalesce(display_name, '<null>') || '|' "
                + "|| coalesce(password_hash, '<null>') || '|' || coalesce(locale, '<null>') FROM users WHERE id = ?",
                subject.account().userId());

        assertThat(row).containsExactly("erased|erased+" + subject.account().userId() + "@erased.invalid"
                + "|<null>|<null>|<null>");
        assertThat(userRow(subject.account().userId()).get(0)).doesNotContain(subject.account().email())
                .doesNotContain(subject.displayName());
    }

    @Test
    void given_an_erased_member_when_listing_members_then_they_are_gone_now_and_erased_as_of_before() {
        Subject subject = anErasedSubject();
        Http owner = http.bearer(subject.coOwner().accessToken());
        String members = "/api/v1/organizations/" + subject.organization() + "/members";

        JsonNode now = ok(owner.get(members));
        JsonNode asOf = ok(owner.get(members + "?as_of="
                + URLEncoder.encode(subject.before().toString(), StandardCharsets.UTF_8)));

        assertThat(now).extracting(m -> m.path("user_id").asText()).containsExactly(subject.coOwner().userId());
        List<JsonNode> then = new ArrayList<>();
        asOf.forEach(then::add);
        JsonNode erased = then.stream().filter(m -> m.path("user_id").asText().equals(subject.account().userId()))
                .findFirst().orElseThrow(() -> new AssertionError("not a member as of before: " + asOf));
        assertThat(erased.path("status").asText()).isEqualTo("erased");
        assertThat(erased.path("display_name").isNull()).isTrue();
        assertThat(erased.path("email").asText()).isNotEqualTo(subject.account().email())
                .doesNotContain(subject.account().email());
        assertThat(erased.path("role").asText()).isEqualTo("owner");
    }

    @Test
    void given_an_erased_member_when_reading_the_organization_history_then_past_events_are_unchanged_and_hold_no_personal_data() {
        Subject subject = aSubject(true);
        Http owner = http.bearer(subject.coOwner().accessToken());
        String path = "/api/v1/organizations/" + subject.organization() + "/history";
        List<JsonNode> before = new ArrayList<>();
        ok(owner.get(path)).forEach(before::add);
        assertThat(deleteMe(subject, Accounts.PASSWORD).status()).isEqualTo(200);

        Http.Response after = owner.get(path);

        List<JsonNode> events = new ArrayList<>();
        ok(after).forEach(events::add);
        assertThat(events.subList(0, before.size())).containsExactlyElementsOf(before);
        assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("organization.member_removed");
        assertThat(events.get(events.size() - 1).path("actor").path("id").asText())
                .isEqualTo(subject.account().userId());
        assertThat(after.text()).doesNotContain(subject.account().email()).doesNotContain(subject.displayName())
                .doesNotContain(subject.userAgent());
    }

    @Test
    void given_an_erased_actor_when_reading_the_organizations_audit_then_their_ip_and_user_agent_show_erased() {
        Subject subject = aSubject(true);
        Http owner = http.bearer(subject.coOwner().accessToken());
        String query = "organization_id=" + subject.organization() + "&actor_id=" + subject.account().userId();
        AuditTrail.awaitCaughtUp();
        List<JsonNode> before = AuditTrail.list(owner, query);
        assertThat(before).isNotEmpty().allSatisfy(e -> {
            assertThat(e.path("user_agent").asText()).isEqualTo(subject.userAgent());
            assertThat(e.path("ip").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        });
        assertThat(deleteMe(subject, Accounts.PASSWORD).status()).isEqualTo(200);
        AuditTrail.awaitCaughtUp();

        List<JsonNode> after = AuditTrail.list(owner, query);

        assertThat(after).hasSizeGreaterThan(before.size()).allSatisfy(e -> {
            assertThat(e.path("user_agent").asText()).as(e.toString()).isEqualTo("[erased]");
            assertThat(e.path("ip").asText()).as(e.toString()).isEqualTo("[erased]");
        });
        assertThat(after.subList(after.size() - before.size(), after.size()))
                .extracting(e -> e.path("hash").asText())
                .containsExactlyElementsOf(before.stream().map(e -> e.path("hash").asText()).toList());
    }

    @Test
    void given_an_erased_account_when_the_platform_admin_reads_its_registration_in_the_audit_then_email_and_name_show_erased() {
        Subject subject = aSubject(true);
        Http admin = http.bearer(platformAdmin.accessToken());
        String query = "action=user.registered&resource_id=" + subject.account().userId();
        AuditTrail.awaitCaughtUp();
        JsonNode before = AuditTrail.list(admin, query).get(0);
        assertThat(before.path("changes").path("email").asText()).isEqualTo(subject.account().email());
        assertThat(before.path("changes").path("display_name").asText()).isEqualTo(subject.displayName());
        assertThat(deleteMe(subject, Accounts.PASSWORD).status()).isEqualTo(200);

        JsonNode after = AuditTrail.list(admin, query).get(0);

        assertThat(after.path("changes").path("email").asText()).isEqualTo("[erased]");
        assertThat(after.path("changes").path("display_name").asText()).isEqualTo("[erased]");
        assertThat(after.path("ip").asText()).isEqualTo("[erased]");
        assertThat(after.path("user_agent").asText()).isEqualTo("[erased]");
        assertThat(after.path("changes").path("password_hash").asText()).isEqualTo("[redacted]");
        assertThat(after.path("hash").asText()).isEqualTo(before.path("hash").asText());
    }

    @Test
    void given_an_erased_account_when_verifying_the_audit_chain_then_it_still_verifies() {
        Subject subject = anErasedSubject();
        AuditTrail.awaitCaughtUp();

        JsonNode asAdmin = ok(http.bearer(platformAdmin.accessToken()).get("/api/v1/audit/verify"));
        JsonNode asCoOwner = ok(http.bearer(subject.coOwner().accessToken()).get("/api/v1/audit/verify?organization_id="
                + subject.organization()));

        assertThat(asAdmin.path("verified").asBoolean()).as(asAdmin.toString()).isTrue();
        assertThat(asCoOwner.path("verified").asBoolean()).as(asCoOwner.toString()).isTrue();
        assertThat(asCoOwner.path("checked").asLong()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void given_an_erased_account_when_replaying_users_and_audit_then_both_succeed_and_the_account_stays_erased() {
        Subject subject = anErasedSubject();
        AuditTrail.awaitCaughtUp();
        List<String> row = userRow(subject.account().userId());
        Http admin = http.bearer(platformAdmin.accessToken());

        Http.Response users = admin.post("/api/v1/admin/projections/users/replay", null);
        Http.Response audit = admin.post("/api/v1/admin/projections/audit/replay", null);

        assertThat(users.status()).as(users.toString()).isEqualTo(202);
        assertThat(audit.status()).as(audit.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            List<JsonNode> statuses = new ArrayList<>();
            ok(admin.get("/api/v1/admin/projections")).forEach(statuses::add);
            assertThat(statuses).filteredOn(s -> List.of("users", "audit").contains(s.path("name").asText()))
                    .hasSize(2).allSatisfy(s -> {
                        assertThat(s.path("replaying").asBoolean()).as(s.toString()).isFalse();
                        assertThat(s.path("lag").asLong()).as(s.toString()).isZero();
                        assertThat(s.path("last_error").isNull()).as(s.toString()).isTrue();
                    });
        });
        assertThat(userRow(subject.account().userId())).isEqualTo(row);
        assertThat(row.get(0)).contains("erased");
        assertThat(ok(admin.get("/api/v1/audit/verify")).path("verified").asBoolean()).isTrue();
    }

    @Test
    void given_personal_data_when_scanning_the_event_store_before_and_after_erasure_then_it_is_never_there_in_clear() {
        Subject subject = aSubject(true);
        assertThat(eventsContaining(subject.account().userId())).as("the scan finds what is in clear").isPositive();
        assertThat(eventsContaining(subject.account().email())).as("email before erasure").isZero();
        assertThat(eventsContaining(subject.displayName())).as("display name before erasure").isZero();
        assertThat(eventsContaining(subject.userAgent())).as("user agent before erasure").isZero();

        assertThat(deleteMe(subject, Accounts.PASSWORD).status()).isEqualTo(200);

        assertThat(eventsContaining(subject.account().email())).as("email after erasure").isZero();
        assertThat(eventsContaining(subject.displayName())).as("display name after erasure").isZero();
        assertThat(eventsContaining(subject.userAgent())).as("user agent after erasure").isZero();
    }

    @Test
    void given_personal_data_when_scanning_the_audit_table_then_it_is_never_there_in_clear() {
        Subject subject = anErasedSubject();
        AuditTrail.awaitCaughtUp();

        assertThat(auditEntriesContaining(subject.account().userId())).as("the scan finds what is in clear").isPositive();
        assertThat(auditEntriesContaining(subject.account().email())).isZero();
        assertThat(auditEntriesContaining(subject.displayName())).isZero();
        assertThat(auditEntriesContaining(subject.userAgent())).isZero();
    }

    @Test
    void given_an_account_when_it_is_erased_then_its_data_key_is_destroyed() {
        Subject subject = aSubject(true);
        assertThat(dataKeys(subject.account().userId())).isEqualTo(1);

        assertThat(deleteMe(subject, Accounts.PASSWORD).status()).isEqualTo(200);

        assertThat(dataKeys(subject.account().userId())).isZero();
    }

    // ---- erasure by a platform admin ------------------------------------------------------------

    @Test
    void given_the_platform_admin_when_erasing_another_user_then_the_account_is_erased_everywhere() {
        Subject subject = aSubject(true);

        Http.Response response = http.bearer(platformAdmin.accessToken())
                .delete("/api/v1/admin/users/" + subject.account().userId());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("id").asText()).isEqualTo(subject.account().userId());
        assertThat(response.data().path("erased").asBoolean()).isTrue();
        assertThat(subject.client().get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(http.bearer(subject.pat().token()).get("/api/v1/organizations").status()).isEqualTo(401);
        assertThat(login(subject).errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(strings("SELECT status FROM users WHERE id = ?", subject.account().userId())).containsExactly("erased");
        assertThat(dataKeys(subject.account().userId())).isZero();
        assertThat(eventsContaining(subject.account().email())).isZero();
        assertThat(ok(http.bearer(subject.coOwner().accessToken()).get("/api/v1/organizations/"
                + subject.organization() + "/members"))).extracting(m -> m.path("user_id").asText())
                .containsExactly(subject.coOwner().userId());
    }

    @Test
    void given_a_member_who_is_not_platform_admin_when_erasing_another_user_then_403_and_nothing_changes() {
        Subject subject = aSubject(true);
        List<String> row = userRow(subject.account().userId());

        Http.Response response = http.bearer(subject.coOwner().accessToken())
                .delete("/api/v1/admin/users/" + subject.account().userId());

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(userRow(subject.account().userId())).isEqualTo(row);
        assertThat(dataKeys(subject.account().userId())).isEqualTo(1);
        assertThat(subject.client().get("/api/v1/auth/me").status()).isEqualTo(200);
    }

    @Test
    void given_the_platform_admin_when_erasing_the_last_owner_of_an_organization_then_409() {
        Subject subject = aSubject(false);

        Http.Response response = http.bearer(platformAdmin.accessToken())
                .delete("/api/v1/admin/users/" + subject.account().userId());

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(dataKeys(subject.account().userId())).isEqualTo(1);
    }

    @Test
    void given_an_already_erased_account_when_the_platform_admin_erases_it_again_then_404() {
        Subject subject = anErasedSubject();

        Http.Response response = http.bearer(platformAdmin.accessToken())
                .delete("/api/v1/admin/users/" + subject.account().userId());

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
    }
}
