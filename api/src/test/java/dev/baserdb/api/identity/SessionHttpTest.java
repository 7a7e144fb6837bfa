package dev.baserdb.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.HashMap;
import java.util.Map;

import static dev.baserdb.api.identity.AuthAssertions.LOGOUT;
import static dev.baserdb.api.identity.AuthAssertions.LOGOUT_ALL;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.REFRESH;
import static dev.baserdb.api.identity.AuthAssertions.SESSIONS;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertUnauthorized;
import static dev.baserdb.api.identity.AuthAssertions.sessionIdOf;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The session routes of API.md §3: me, logout, logout-all and the session list. */
@ApiTest
class SessionHttpTest {

    @LocalServerPort
    int port;
    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    // --- GET /auth/me ---

    @Test
    void givenASignedInUser_whenGetMe_thenTheUserWithMembershipsAndPermissions() {
        Accounts.Account account = accounts.anAccount();

        Http.Response response = http.bearer(account.accessToken()).get(ME);

        assertSuccess(response, 200);
        JsonNode user = response.data().path("user");
        assertThat(user.path("id").asText()).isEqualTo(account.userId());
        assertThat(user.path("email").asText()).isEqualTo(account.email());
        assertThat(user.path("display_name").asText()).isEqualTo("Test User");
        assertThat(user.path("status").asText()).isEqualTo("active");
        assertThat(response.data().path("memberships").isArray()).isTrue();
        assertThat(response.data().path("permissions").isArray()).isTrue();
    }

    // --- POST /auth/logout ---

    @Test
    void givenASignedInUser_whenLogout_then200WithOneSessionRevoked() {
        Accounts.Account account = accounts.anAccount();

        Http.Response response = http.bearer(account.accessToken()).post(LOGOUT, null);

        assertSuccess(response, 200);
        assertThat(response.data().path("sessions_revoked").asInt()).isEqualTo(1);
    }

    @Test
    void givenALoggedOutSession_whenItsAccessTokenIsUsedAtOnce_then401() {
        Accounts.Account account = accounts.anAccount();
        Http client = http.bearer(account.accessToken());
        assertSuccess(client.get(ME), 200);

        assertSuccess(client.post(LOGOUT, null), 200);

        assertUnauthorized(client.get(ME));
    }

    @Test
    void givenTwoSessions_whenOneLogsOut_thenTheOtherStillWorks() {
        Accounts.Account first = accounts.anAccount();
        Accounts.Account second = accounts.login(first.email(), Accounts.PASSWORD);

        assertSuccess(http.bearer(first.accessToken()).post(LOGOUT, null), 200);

        assertSuccess(http.bearer(second.accessToken()).get(ME), 200);
    }

    @Test
    void givenALoggedOutSession_whenLoggingOutAgain_then401() {
        Accounts.Account account = accounts.anAccount();
        assertSuccess(http.bearer(account.accessToken()).post(LOGOUT, null), 200);

        assertUnauthorized(http.bearer(account.accessToken()).post(LOGOUT, null));
    }

    @Test
    void givenGetOnLogout_then405MethodNotAllowedInTheEnvelope() {
        Accounts.Account account = accounts.anAccount();

        assertError(http.bearer(account.accessToken()).get(LOGOUT), 405, "METHOD_NOT_ALLOWED");
    }

    // --- POST /auth/logout-all ---

    @Test
    void givenTwoSessionsOfOneUser_whenLogoutAll_then200WithBothRevoked() {
        Accounts.Account first = accounts.anAccount();
        accounts.login(first.email(), Accounts.PASSWORD);

        Http.Response response = http.bearer(first.accessToken()).post(LOGOUT_ALL, null);

        assertSuccess(response, 200);
        assertThat(response.data().path("sessions_revoked").asInt()).isEqualTo(2);
    }

    @Test
    void givenTwoSessionsOfOneUser_whenLogoutAll_thenNeitherAccessNorRefreshTokenOfEitherWorks() {
        Accounts.Account first = accounts.anAccount();
        Accounts.Account second = accounts.login(first.email(), Accounts.PASSWORD);
        assertSuccess(http.bearer(second.accessToken()).get(ME), 200);

        assertSuccess(http.bearer(first.accessToken()).post(LOGOUT_ALL, null), 200);

        assertUnauthorized(http.bearer(first.accessToken()).get(ME));
        assertUnauthorized(http.bearer(second.accessToken()).get(ME));
        assertUnauthorized(http.post(REFRESH, json("refresh_token", first.refreshToken())));
        assertUnauthorized(http.post(REFRESH, json("refresh_token", second.refreshToken())));
    }

    @Test
    void givenAnotherUser_whenOneUserLogsOutAll_thenTheOtherUsersSessionStillWorks() {
        Accounts.Account mine = accounts.anAccount();
        Accounts.Account theirs = accounts.anAccount();
        assertSuccess(http.bearer(theirs.accessToken()).get(ME), 200);

        assertSuccess(http.bearer(mine.accessToken()).post(LOGOUT_ALL, null), 200);

        assertSuccess(http.bearer(theirs.accessToken()).get(ME), 200);
        assertSuccess(http.post(REFRESH, json("refresh_token", theirs.refreshToken())), 200);
    }

    // --- GET /auth/sessions ---

    @Test
    void givenTwoSessionsOfMineAndOneOfAnotherUser_whenListingSessions_thenOnlyMineWithCurrentMarked() {
        Accounts.Account first = accounts.anAccount();
        Accounts.Account second = accounts.login(first.email(), Accounts.PASSWORD);
        accounts.anAccount();

        Http.Response response = http.bearer(first.accessToken()).get(SESSIONS);

        assertSuccess(response, 200);
        Map<String, Boolean> current = currentFlagById(response.data());
        assertThat(current).containsOnly(
                Map.entry(sessionIdOf(first.accessToken()), true),
                Map.entry(sessionIdOf(second.accessToken()), false));
    }

    @Test
    void givenASessionList_thenEachEntryDescribesTheSession() {
        Accounts.Account account = accounts.anAccount();

        Http.Response response = http.bearer(account.accessToken()).get(SESSIONS);

        assertSuccess(response, 200);
        assertThat(response.data().size()).isEqualTo(1);
        JsonNode session = response.data().get(0);
        assertThat(session.path("id").asText()).isEqualTo(sessionIdOf(account.accessToken()));
        assertThat(session.path("device").asText()).isNotBlank();
        assertThat(session.path("ip").asText()).isNotBlank();
        assertThat(session.path("created_at").asText()).isNotBlank();
        assertThat(session.path("last_used_at").asText()).isNotBlank();
        assertThat(session.path("current").asBoolean()).isTrue();
        assertThat(response.body().path("meta").path("page").path("total").asInt()).isEqualTo(1);
        assertThat(response.header("X-Total-Count")).isEqualTo("1");
    }

    @Test
    void givenALoggedOutSession_whenListingSessions_thenItIsNoLongerListed() {
        Accounts.Account first = accounts.anAccount();
        Accounts.Account second = accounts.login(first.email(), Accounts.PASSWORD);
        assertSuccess(http.bearer(second.accessToken()).post(LOGOUT, null), 200);

        Http.Response response = http.bearer(first.accessToken()).get(SESSIONS);

        assertSuccess(response, 200);
        assertThat(currentFlagById(response.data())).containsOnlyKeys(sessionIdOf(first.accessToken()));
    }

    private static Map<String, Boolean> currentFlagById(JsonNode list) {
        assertThat(list.isArray()).as(list.toString()).isTrue();
        Map<String, Boolean> flags = new HashMap<>();
        list.forEach(session -> flags.put(session.path("id").asText(), session.path("current").asBoolean()));
        assertThat(flags).as("no duplicate ids in %s", list).hasSize(list.size());
        return flags;
    }
}
