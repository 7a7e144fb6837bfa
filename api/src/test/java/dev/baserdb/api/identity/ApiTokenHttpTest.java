package dev.baserdb.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TenancySteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Personal access tokens, {@code /api/v1/auth/tokens} (API.md §3). */
@ApiTest
class ApiTokenHttpTest {

    @LocalServerPort
    int port;

    Http http;
    Accounts accounts;
    TenancySteps tenancy;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new TenancySteps(http);
    }

    @Test
    void given_a_session_when_creating_a_token_then_201_with_the_token_shown_once_and_never_listed() {
        Account alice = accounts.anAccount();
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        Http.Response created = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "  ci  ", "scopes", List.of("read", "write"), "expires_at", expires.toString()));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode token = created.data();
        String secret = token.path("token").asText();
        assertThat(secret).startsWith("bdb_pat_").hasSizeGreaterThan("bdb_pat_".length() + 30);
        assertThat(token.path("id").asText()).startsWith("tok_");
        assertThat(token.path("name").asText()).isEqualTo("ci");
        assertThat(List.of(Http.JSON.convertValue(token.path("scopes"), String[].class)))
                .containsExactlyInAnyOrder("read", "write");
        assertThat(Instant.parse(token.path("expires_at").asText())).isEqualTo(expires);

        Http.Response list = http.bearer(alice.accessToken()).get("/api/v1/auth/tokens");

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.data().findValuesAsText("id")).containsExactly(token.path("id").asText());
        assertThat(list.data().get(0).has("token")).isFalse();
        assertThat(list.data().get(0).path("name").asText()).isEqualTo("ci");
        assertThat(list.text()).doesNotContain(secret).doesNotContain(secret.substring("bdb_pat_".length()));
        assertThat(list.header("X-Total-Count")).isEqualTo("1");
    }

    @Test
    void given_a_token_then_it_authenticates_its_user_on_auth_me_with_its_scopes_as_permissions() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String secret = createToken(alice, Http.json("name", "reader", "scopes", List.of("read")));

        Http.Response me = http.bearer(secret).get("/api/v1/auth/me");
        Http.Response meByHeader = http.with("X-API-Key", secret).get("/api/v1/auth/me");

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("user").path("id").asText()).isEqualTo(alice.userId());
        assertThat(me.data().path("user").path("email").asText()).isEqualTo(alice.email());
        JsonNode membership = me.data().path("memberships").get(0);
        assertThat(membership.path("organization_id").asText()).isEqualTo(org);
        assertThat(membership.path("role").asText()).isEqualTo("owner");
        assertThat(List.of(Http.JSON.convertValue(membership.path("permissions"), String[].class)))
                .contains("read_organization").doesNotContain("rename_organization", "manage_members");
        assertThat(meByHeader.status()).as(meByHeader.toString()).isEqualTo(200);
    }

    @Test
    void given_a_read_only_token_when_writing_then_403_INVALID_SCOPE_and_reads_work() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice, TenancySteps.uniqueSlug("scoped"), "Scoped").path("id").asText();
        String secret = createToken(alice, Http.json("name", "reader", "scopes", List.of("read")));

        Http.Response read = http.bearer(secret).get("/api/v1/organizations/" + org);
        Http.Response rename = http.bearer(secret).patch("/api/v1/organizations/" + org, Http.json("name", "Nope"));
        Http.Response create = http.bearer(secret).post("/api/v1/organizations",
                Http.json("slug", TenancySteps.uniqueSlug("nope"), "name", "Nope"));

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(rename.status()).as(rename.toString()).isEqualTo(403);
        assertThat(rename.errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
        assertThat(create.errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/organizations/" + org).data().path("name").asText())
                .isEqualTo("Scoped");
    }

    @Test
    void given_a_token_pinned_to_one_organization_when_used_on_another_then_403_TENANT_MISMATCH() {
        Account alice = accounts.anAccount();
        String pinned = tenancy.organization(alice).path("id").asText();
        String other = tenancy.organization(alice).path("id").asText();
        String secret = createToken(alice, Http.json("name", "pinned", "scopes", List.of("read"),
                "organization_id", pinned));

        Http.Response onPinned = http.bearer(secret).get("/api/v1/organizations/" + pinned);
        Http.Response onOther = http.bearer(secret).get("/api/v1/organizations/" + other);
        Http.Response me = http.bearer(secret).get("/api/v1/auth/me");

        assertThat(onPinned.status()).as(onPinned.toString()).isEqualTo(200);
        assertThat(onOther.status()).as(onOther.toString()).isEqualTo(403);
        assertThat(onOther.errorCode()).isEqualTo("TENANT_MISMATCH");
        assertThat(me.data().path("memberships").findValuesAsText("organization_id")).containsExactly(pinned);
    }

    @Test
    void given_an_organization_the_user_is_not_in_when_pinning_a_token_to_it_then_404() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String bobs = tenancy.organization(bob).path("id").asText();

        Http.Response response = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "sneaky", "scopes", List.of("read"), "organization_id", bobs));

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/auth/tokens").data()).isEmpty();
    }

    @Test
    void given_a_revoked_token_then_it_is_401_at_once_and_no_longer_listed() {
        Account alice = accounts.anAccount();
        Http.Response created = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "short-lived", "scopes", List.of("read")));
        String id = created.data().path("id").asText();
        String secret = created.data().path("token").asText();
        assertThat(http.bearer(secret).get("/api/v1/auth/me").status()).isEqualTo(200);

        Http.Response revoked = http.bearer(alice.accessToken()).delete("/api/v1/auth/tokens/" + id);

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.data().path("id").asText()).isEqualTo(id);
        assertThat(revoked.data().has("token")).isFalse();
        Http.Response after = http.bearer(secret).get("/api/v1/auth/me");
        assertThat(after.status()).as(after.toString()).isEqualTo(401);
        assertThat(after.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/auth/tokens").data()).isEmpty();
        assertThat(http.bearer(alice.accessToken()).delete("/api/v1/auth/tokens/" + id).status()).isEqualTo(404);
    }

    @Test
    void given_another_users_token_when_revoking_it_then_404_and_it_keeps_working() {
        Account alice = accounts.anAccount();
        Account mallory = accounts.anAccount();
        Http.Response created = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "mine", "scopes", List.of("read")));

        Http.Response response = http.bearer(mallory.accessToken())
                .delete("/api/v1/auth/tokens/" + created.data().path("id").asText());

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(http.bearer(created.data().path("token").asText()).get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(http.bearer(mallory.accessToken()).get("/api/v1/auth/tokens").data()).isEmpty();
    }

    @Test
    void given_an_unknown_scope_when_creating_a_token_then_400_with_details_scopes() {
        Account alice = accounts.anAccount();

        Http.Response unknown = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "bad", "scopes", List.of("read", "superpowers")));
        Http.Response empty = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "bad", "scopes", List.of()));
        Http.Response noName = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("scopes", List.of("read")));

        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(unknown.body().path("error").path("details").has("scopes")).isTrue();
        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
        assertThat(empty.body().path("error").path("details").has("scopes")).isTrue();
        assertThat(noName.status()).as(noName.toString()).isEqualTo(400);
        assertThat(noName.body().path("error").path("details").has("name")).isTrue();
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/auth/tokens").data()).isEmpty();
    }

    @Test
    void given_an_expiry_in_the_past_when_creating_a_token_then_400_with_details_expires_at() {
        Account alice = accounts.anAccount();

        Http.Response response = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens", Http.json(
                "name", "stale", "scopes", List.of("read"), "expires_at", Instant.now().minusSeconds(60).toString()));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").has("expires_at")).isTrue();
    }

    @Test
    void given_a_personal_access_token_when_managing_tokens_with_it_then_403_FORBIDDEN() {
        Account alice = accounts.anAccount();
        Http.Response created = http.bearer(alice.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "admin-token", "scopes", List.of("admin")));
        String id = created.data().path("id").asText();
        Http withToken = http.bearer(created.data().path("token").asText());

        Http.Response list = withToken.get("/api/v1/auth/tokens");
        Http.Response create = withToken.post("/api/v1/auth/tokens",
                Http.json("name", "child", "scopes", List.of("read")));
        Http.Response revoke = withToken.delete("/api/v1/auth/tokens/" + id);

        assertThat(list.status()).as(list.toString()).isEqualTo(403);
        assertThat(list.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(403);
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/auth/tokens").data().findValuesAsText("id"))
                .containsExactly(id);
        assertThat(withToken.get("/api/v1/auth/me").status()).isEqualTo(200);
    }

    @Test
    void given_no_credentials_or_a_made_up_token_when_using_the_token_routes_then_401() {
        Http.Response anonymous = http.get("/api/v1/auth/tokens");
        Http.Response madeUp = http.bearer("bdb_pat_made-up").get("/api/v1/auth/me");

        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
        assertThat(madeUp.status()).as(madeUp.toString()).isEqualTo(401);
    }

    private String createToken(Account account, Object body) {
        Http.Response created = http.bearer(account.accessToken()).post("/api/v1/auth/tokens", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.data().path("token").asText();
    }
}
