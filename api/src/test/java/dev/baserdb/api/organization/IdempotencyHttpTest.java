package dev.baserdb.api.organization;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TenancySteps;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} on POST (API.md §1), checked on {@code POST /organizations}: a retry is
 * answered from the stored response and never runs the command a second time.
 */
@ApiTest
class IdempotencyHttpTest {

    @LocalServerPort
    int port;

    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    @Test
    void given_the_same_key_and_body_when_posted_twice_then_the_same_response_is_replayed_and_one_event_recorded() {
        Account alice = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("idem");
        Http withKey = http.bearer(alice.accessToken()).with("Idempotency-Key", UUID.randomUUID().toString());

        Http.Response first = withKey.post("/api/v1/organizations", Http.json("slug", slug, "name", "Once"));
        Http.Response second = withKey.post("/api/v1/organizations", Http.json("slug", slug, "name", "Once"));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.data().path("id").asText()).isEqualTo(first.data().path("id").asText());
        assertThat(second.data()).isEqualTo(first.data());
        assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(second.header("Content-Type")).startsWith("application/json");
        assertThat(organizationCreatedEvents(slug)).isEqualTo(1);
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/organizations").data().findValuesAsText("slug"))
                .containsExactly(slug);
    }

    @Test
    void given_a_used_key_when_posted_with_another_body_then_422_UNPROCESSABLE_and_nothing_is_created() {
        Account alice = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("first");
        String otherSlug = TenancySteps.uniqueSlug("other");
        Http withKey = http.bearer(alice.accessToken()).with("Idempotency-Key", UUID.randomUUID().toString());
        assertThat(withKey.post("/api/v1/organizations", Http.json("slug", slug, "name", "First")).status())
                .isEqualTo(201);

        Http.Response reused = withKey.post("/api/v1/organizations", Http.json("slug", otherSlug, "name", "Other"));

        assertThat(reused.status()).as(reused.toString()).isEqualTo(422);
        assertThat(reused.errorCode()).isEqualTo("UNPROCESSABLE");
        assertThat(reused.body().path("success").asBoolean(true)).isFalse();
        assertThat(organizationCreatedEvents(otherSlug)).isZero();
        assertThat(organizationCreatedEvents(slug)).isEqualTo(1);
    }

    @Test
    void given_a_used_key_when_posted_to_another_route_then_422() {
        Account alice = accounts.anAccount();
        Http withKey = http.bearer(alice.accessToken()).with("Idempotency-Key", UUID.randomUUID().toString());
        String slug = TenancySteps.uniqueSlug("route");
        String org = withKey.post("/api/v1/organizations", Http.json("slug", slug, "name", "Route"))
                .data().path("id").asText();

        Http.Response otherRoute = withKey.post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Routed"));

        assertThat(otherRoute.status()).as(otherRoute.toString()).isEqualTo(422);
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/projects?organization_id=" + org).data()).isEmpty();
    }

    @Test
    void given_two_users_when_they_use_the_same_key_then_their_requests_are_independent() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String key = UUID.randomUUID().toString();
        String aliceSlug = TenancySteps.uniqueSlug("alice");
        String bobSlug = TenancySteps.uniqueSlug("bob");

        Http.Response forAlice = http.bearer(alice.accessToken()).with("Idempotency-Key", key)
                .post("/api/v1/organizations", Http.json("slug", aliceSlug, "name", "Alice Org"));
        Http.Response forBob = http.bearer(bob.accessToken()).with("Idempotency-Key", key)
                .post("/api/v1/organizations", Http.json("slug", bobSlug, "name", "Bob Org"));

        assertThat(forAlice.status()).as(forAlice.toString()).isEqualTo(201);
        assertThat(forBob.status()).as(forBob.toString()).isEqualTo(201);
        assertThat(forBob.header("Idempotent-Replayed")).isNull();
        assertThat(forBob.data().path("id").asText()).isNotEqualTo(forAlice.data().path("id").asText());
        assertThat(forBob.data().path("created_by").asText()).isEqualTo(bob.userId());
        assertThat(organizationCreatedEvents(aliceSlug)).isEqualTo(1);
        assertThat(organizationCreatedEvents(bobSlug)).isEqualTo(1);
    }

    @Test
    void given_two_users_when_they_send_the_same_key_and_body_then_the_second_is_not_served_the_firsts_response() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String key = UUID.randomUUID().toString();
        String slug = TenancySteps.uniqueSlug("same");

        Http.Response forAlice = http.bearer(alice.accessToken()).with("Idempotency-Key", key)
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "Same"));
        Http.Response forBob = http.bearer(bob.accessToken()).with("Idempotency-Key", key)
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "Same"));

        assertThat(forAlice.status()).as(forAlice.toString()).isEqualTo(201);
        assertThat(forBob.status()).as("Bob's request runs: the slug is taken").isEqualTo(409);
        assertThat(forBob.header("Idempotent-Replayed")).isNull();
        assertThat(organizationCreatedEvents(slug)).isEqualTo(1);
    }

    /**
     * Only a successful answer is stored: a refused request leaves the key free, so the client can
     * correct the body and retry under the same key, and that retry runs (once).
     */
    @Test
    void given_a_request_refused_with_400_when_corrected_under_the_same_key_then_it_runs_once() {
        Account alice = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("fixed");
        Http withKey = http.bearer(alice.accessToken()).with("Idempotency-Key", UUID.randomUUID().toString());

        Http.Response invalid = withKey.post("/api/v1/organizations", Http.json("slug", "Not Valid", "name", "Fixed"));
        Http.Response corrected = withKey.post("/api/v1/organizations", Http.json("slug", slug, "name", "Fixed"));
        Http.Response replayed = withKey.post("/api/v1/organizations", Http.json("slug", slug, "name", "Fixed"));

        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
        assertThat(invalid.header("Idempotent-Replayed")).isNull();
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(201);
        assertThat(corrected.header("Idempotent-Replayed")).isNull();
        assertThat(replayed.status()).isEqualTo(201);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.data().path("id").asText()).isEqualTo(corrected.data().path("id").asText());
        assertThat(organizationCreatedEvents(slug)).isEqualTo(1);
    }

    @Test
    void given_a_stored_response_holding_a_secret_then_the_store_keeps_it_sealed() throws Exception {
        Account alice = accounts.anAccount();
        String organizationId = http.bearer(alice.accessToken())
                .post("/api/v1/organizations", Http.json("slug", TenancySteps.uniqueSlug("sealed"), "name", "Sealed"))
                .data().path("id").asText();
        String key = UUID.randomUUID().toString();

        Http.Response created = http.bearer(alice.accessToken()).with("Idempotency-Key", key)
                .post("/api/v1/projects", Http.json("organization_id", organizationId, "name", "Sealed app"));
        String serviceKey = created.data().path("service_key").asText();

        assertThat(serviceKey).startsWith("bdb_sk_");
        try (var c = dev.baserdb.api.support.TestDatabase.connect();
             var s = c.prepareStatement("SELECT count(*) FROM idempotency_keys WHERE idem_key = ?"
                     + " AND position(convert_to(?, 'UTF8') in body) > 0")) {
            s.setString(1, key);
            s.setString(2, serviceKey);
            try (var rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        Http.Response replayed = http.bearer(alice.accessToken()).with("Idempotency-Key", key)
                .post("/api/v1/projects", Http.json("organization_id", organizationId, "name", "Sealed app"));
        assertThat(replayed.data().path("service_key").asText()).isEqualTo(serviceKey);
    }

    @Test
    void given_a_key_longer_than_255_characters_then_400_VALIDATION_FAILED_and_nothing_is_created() {
        Account alice = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("long");

        Http.Response response = http.bearer(alice.accessToken()).with("Idempotency-Key", "k".repeat(256))
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "Long Key"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").has("Idempotency-Key")).isTrue();
        assertThat(organizationCreatedEvents(slug)).isZero();
    }

    @Test
    void given_no_key_when_the_same_body_is_posted_twice_then_it_runs_twice_and_the_second_is_409() {
        Account alice = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("nokey");

        Http.Response first = http.bearer(alice.accessToken())
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "No Key"));
        Http.Response second = http.bearer(alice.accessToken())
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "No Key"));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.header("Idempotent-Replayed")).isNull();
    }

    /** OrganizationCreated events in the event store whose payload names this slug. */
    private static int organizationCreatedEvents(String slug) {
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement("select count(*) from domainevententry "
                     + "where payloadtype like '%OrganizationCreated' "
                     + "and convert_from(payload, 'UTF8') like ?")) {
            s.setString(1, "%\"" + slug + "\"%");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
