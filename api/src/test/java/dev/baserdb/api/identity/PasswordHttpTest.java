package dev.baserdb.api.identity;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.baserdb.api.identity.AuthAssertions.LOGIN;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.PASSWORD_ROUTE;
import static dev.baserdb.api.identity.AuthAssertions.REFRESH;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertUnauthorized;
import static dev.baserdb.api.identity.AuthAssertions.assertValidationFailedOn;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** PATCH /api/v1/auth/password (API.md §3): other sessions are revoked, the current one kept. */
@ApiTest
class PasswordHttpTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    @LocalServerPort
    int port;
    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    private Http.Response changePassword(Accounts.Account account, String current, String next) {
        return http.bearer(account.accessToken()).patch(PASSWORD_ROUTE,
                json("current_password", current, "new_password", next));
    }

    private Http.Response login(String email, String password) {
        return http.post(LOGIN, json("email", email, "password", password));
    }

    @Test
    void givenTheRightCurrentPassword_whenChangingIt_then200() {
        Accounts.Account account = accounts.anAccount();

        Http.Response response = changePassword(account, Accounts.PASSWORD, NEW_PASSWORD);

        assertSuccess(response, 200);
        assertThat(response.data().path("password_changed").asBoolean()).isTrue();
    }

    @Test
    void givenAWrongCurrentPassword_whenChangingIt_then401InvalidCredentials() {
        Accounts.Account account = accounts.anAccount();

        assertError(changePassword(account, "not my password", NEW_PASSWORD), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void givenAWrongCurrentPassword_whenChangingIt_thenTheOldPasswordStillLogsIn() {
        Accounts.Account account = accounts.anAccount();
        changePassword(account, "not my password", NEW_PASSWORD);

        assertSuccess(login(account.email(), Accounts.PASSWORD), 200);
        assertError(login(account.email(), NEW_PASSWORD), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void givenAChangedPassword_whenLoggingIn_thenTheNewOneWorksAndTheOldOneIsRefused() {
        Accounts.Account account = accounts.anAccount();
        assertSuccess(changePassword(account, Accounts.PASSWORD, NEW_PASSWORD), 200);

        assertSuccess(login(account.email(), NEW_PASSWORD), 200);
        assertError(login(account.email(), Accounts.PASSWORD), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void givenAChangedPassword_thenTheSessionThatChangedItStillWorks() {
        Accounts.Account account = accounts.anAccount();
        assertSuccess(changePassword(account, Accounts.PASSWORD, NEW_PASSWORD), 200);

        assertSuccess(http.bearer(account.accessToken()).get(ME), 200);
        assertSuccess(http.post(REFRESH, json("refresh_token", account.refreshToken())), 200);
    }

    @Test
    void givenAChangedPassword_thenEveryOtherSessionOfTheUserIsRevoked() {
        Accounts.Account current = accounts.anAccount();
        Accounts.Account other = accounts.login(current.email(), Accounts.PASSWORD);
        assertSuccess(http.bearer(other.accessToken()).get(ME), 200);

        assertSuccess(changePassword(current, Accounts.PASSWORD, NEW_PASSWORD), 200);

        assertUnauthorized(http.bearer(other.accessToken()).get(ME));
        assertUnauthorized(http.post(REFRESH, json("refresh_token", other.refreshToken())));
    }

    @Test
    void givenANewPasswordOf7Characters_whenChangingIt_thenValidationFailsOnNewPassword() {
        Accounts.Account account = accounts.anAccount();

        assertValidationFailedOn(changePassword(account, Accounts.PASSWORD, "1234567"), "new_password");
    }

    @Test
    void givenANewPasswordOf129Characters_whenChangingIt_thenValidationFailsOnNewPassword() {
        Accounts.Account account = accounts.anAccount();

        assertValidationFailedOn(changePassword(account, Accounts.PASSWORD, "p".repeat(129)), "new_password");
    }

    @Test
    void givenANewPasswordOf4NonBmpCharacters_whenChangingIt_thenValidationFailsOnNewPassword() {
        Accounts.Account account = accounts.anAccount();

        assertValidationFailedOn(changePassword(account, Accounts.PASSWORD, "😀".repeat(4)), "new_password");
    }

    @Test
    void givenARefusedNewPassword_whenChangingIt_thenTheOldPasswordStillLogsIn() {
        Accounts.Account account = accounts.anAccount();
        changePassword(account, Accounts.PASSWORD, "1234567");

        assertSuccess(login(account.email(), Accounts.PASSWORD), 200);
    }

    @Test
    void givenMissingFields_whenChangingPassword_thenValidationFailsNamingBoth() {
        Accounts.Account account = accounts.anAccount();

        assertValidationFailedOn(http.bearer(account.accessToken()).patch(PASSWORD_ROUTE, json()),
                "current_password", "new_password");
    }

    @Test
    void givenNewPasswordAsNumber_whenChangingPassword_thenValidationFailsOnNewPassword() {
        Accounts.Account account = accounts.anAccount();

        assertValidationFailedOn(http.bearer(account.accessToken()).patch(PASSWORD_ROUTE,
                json("current_password", Accounts.PASSWORD, "new_password", 123456789)), "new_password");
    }

    @Test
    void givenCurrentPasswordAsObject_whenChangingPassword_thenValidationFailsOnCurrentPassword() {
        Accounts.Account account = accounts.anAccount();

        assertValidationFailedOn(http.bearer(account.accessToken()).patch(PASSWORD_ROUTE,
                json("current_password", java.util.Map.of("value", "x"), "new_password", NEW_PASSWORD)),
                "current_password");
    }

    @Test
    void givenMalformedJson_whenChangingPassword_then400BadRequest() {
        Accounts.Account account = accounts.anAccount();

        assertError(http.bearer(account.accessToken()).patch(PASSWORD_ROUTE, "{\"current_password\": \"x\","),
                400, "BAD_REQUEST");
    }
}
