package dev.baserdb.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static dev.baserdb.api.identity.AuthAssertions.LOGIN;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertValidationFailedOn;
import static dev.baserdb.api.identity.AuthAssertions.sessionIdOf;
import static dev.baserdb.api.identity.AuthAssertions.uniqueEmail;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/auth/login (API.md §3) over real HTTP: credentials, bad inputs and the lockout. */
@ApiTest
class LoginHttpTest {

    /** {@code baserdb.auth.lockout-max-attempts} and {@code lockout-duration} as configured (defaults). */
    private static final int LOCKOUT_MAX_ATTEMPTS = 10;
    private static final Duration LOCKOUT_DURATION = Duration.ofMinutes(15);

    @LocalServerPort
    int port;
    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    private Http.Response login(String email, String password) {
        return http.post(LOGIN, json("email", email, "password", password));
    }

    @Test
    void givenRegisteredUser_whenLoginWithRightPassword_then200WithANewSession() {
        Accounts.Account account = accounts.anAccount();

        Http.Response response = login(account.email(), Accounts.PASSWORD);

        assertSuccess(response, 200);
        JsonNode data = response.data();
        assertThat(data.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(data.path("expires_in").asLong()).isEqualTo(900);
        assertThat(data.path("refresh_token").asText()).isNotBlank().isNotEqualTo(account.refreshToken());
        assertThat(data.path("user").path("id").asText()).isEqualTo(account.userId());
        assertThat(sessionIdOf(data.path("access_token").asText())).isNotEqualTo(sessionIdOf(account.accessToken()));
        assertSuccess(http.bearer(data.path("access_token").asText()).get(ME), 200);
    }

    @Test
    void givenRegisteredUser_whenLoginWithWrongPassword_then401InvalidCredentials() {
        Accounts.Account account = accounts.anAccount();

        assertError(login(account.email(), "wrong password"), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void givenUnknownEmailAndWrongPassword_whenLogin_thenBothAnswersAreIdenticalButTheirRequestId() {
        Accounts.Account account = accounts.anAccount();

        Http.Response wrongPassword = login(account.email(), "wrong password");
        Http.Response unknownEmail = login(uniqueEmail(), "wrong password");

        assertError(wrongPassword, 401, "INVALID_CREDENTIALS");
        assertThat(unknownEmail.status()).isEqualTo(wrongPassword.status());
        assertThat(withoutRequestId(unknownEmail.body())).isEqualTo(withoutRequestId(wrongPassword.body()));
        assertThat(unknownEmail.header("WWW-Authenticate")).isEqualTo(wrongPassword.header("WWW-Authenticate"));
        assertThat(unknownEmail.header("Retry-After")).isEqualTo(wrongPassword.header("Retry-After"));
    }

    private static JsonNode withoutRequestId(JsonNode body) {
        ObjectNode copy = body.deepCopy();
        ((ObjectNode) copy.path("meta")).remove("request_id");
        return copy;
    }

    @Test
    void givenMissingEmailAndPassword_whenLogin_thenValidationFailsNamingBoth() {
        assertValidationFailedOn(http.post(LOGIN, json()), "email", "password");
    }

    @Test
    void givenEmailAsNumber_whenLogin_thenValidationFailsOnEmail() {
        assertValidationFailedOn(http.post(LOGIN, json("email", 12345, "password", "whatever1")), "email");
    }

    @Test
    void givenPasswordAsArray_whenLogin_thenValidationFailsOnPassword() {
        assertValidationFailedOn(http.post(LOGIN, json("email", uniqueEmail(), "password", new String[]{"x"})),
                "password");
    }

    @Test
    void givenMalformedJson_whenLogin_then400BadRequest() {
        assertError(http.post(LOGIN, "{\"email\": \"a@example.com\" \"password\": \"x\"}"), 400, "BAD_REQUEST");
    }

    @Test
    void givenTenFailedLoginsInARow_whenTheEleventhUsesTheRightPassword_then423AccountLockedWithRetryAfter() {
        Accounts.Account account = accounts.anAccount();
        for (int attempt = 1; attempt <= LOCKOUT_MAX_ATTEMPTS; attempt++) {
            assertError(login(account.email(), "wrong password " + attempt), 401, "INVALID_CREDENTIALS");
        }

        Http.Response eleventh = login(account.email(), Accounts.PASSWORD);

        assertError(eleventh, 423, "ACCOUNT_LOCKED");
        assertThat(eleventh.header("Retry-After")).as("Retry-After header").isNotNull();
        long retryAfter = Long.parseLong(eleventh.header("Retry-After"));
        assertThat(retryAfter).isBetween(LOCKOUT_DURATION.toSeconds() - 60, LOCKOUT_DURATION.toSeconds());
    }

    @Test
    void givenNineFailedLoginsInARow_whenTheTenthUsesTheRightPassword_then200() {
        Accounts.Account account = accounts.anAccount();
        for (int attempt = 1; attempt < LOCKOUT_MAX_ATTEMPTS; attempt++) {
            assertError(login(account.email(), "wrong password " + attempt), 401, "INVALID_CREDENTIALS");
        }

        assertSuccess(login(account.email(), Accounts.PASSWORD), 200);
    }

    @Test
    void givenFailuresInterruptedByASuccessfulLogin_whenTheyAddUpToTen_thenTheAccountIsNotLocked() {
        Accounts.Account account = accounts.anAccount();
        for (int attempt = 1; attempt < LOCKOUT_MAX_ATTEMPTS; attempt++) {
            login(account.email(), "wrong password " + attempt);
        }
        assertSuccess(login(account.email(), Accounts.PASSWORD), 200);
        assertError(login(account.email(), "wrong again"), 401, "INVALID_CREDENTIALS");

        assertSuccess(login(account.email(), Accounts.PASSWORD), 200);
    }
}
