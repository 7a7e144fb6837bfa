package dev.baserdb.api.identity;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Mailbox;
import dev.baserdb.api.support.TestClock;
import dev.baserdb.api.support.TestMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.baserdb.api.identity.AuthAssertions.LOGIN;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertValidationFailedOn;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password reset, email verification and magic links (API.md §3): tokens mailed (read here from a
 * real SMTP server), single-use, one hour, stored hashed; the same 202 whatever the email.
 */
@ApiTest
class AccountRecoveryHttpTest {

    static final String FORGOT = "/api/v1/auth/forgot-password";
    static final String RESET = "/api/v1/auth/reset-password";
    static final String VERIFY_EMAIL = "/api/v1/auth/verify-email";
    static final String RESEND = "/api/v1/auth/resend-verification";
    static final String MAGIC = "/api/v1/auth/magic-link";
    static final String MAGIC_VERIFY = "/api/v1/auth/magic-link/verify";
    static final String NEW_PASSWORD = "a fresh reset passphrase";

    @LocalServerPort
    int port;
    @Autowired
    TestClock clock;
    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    // --- forgot / reset ---

    @Test
    void givenAKnownAndAnUnknownEmail_whenForgotPassword_thenTheSame202_andOnlyTheKnownOneGetsMail() {
        Accounts.Account account = accounts.anAccount();
        String unknown = "nobody-" + UUID.randomUUID() + "@example.com";

        Http.Response known = http.post(FORGOT, json("email", account.email()));
        Http.Response stranger = http.post(FORGOT, json("email", unknown));

        assertSuccess(known, 202);
        assertSuccess(stranger, 202);
        assertThat(known.data()).isEqualTo(stranger.data());
        Mailbox.awaitToken(account.email(), "Reset your password");
        assertThat(TestMail.messagesTo(unknown)).isEmpty();
    }

    @Test
    void givenAResetToken_whenResetting_thenTokensAndEverySessionRevokedAndTheNewPasswordWorks() {
        Accounts.Account account = accounts.anAccount();
        Accounts.Account second = accounts.login(account.email(), Accounts.PASSWORD);
        http.post(FORGOT, json("email", account.email()));
        String token = Mailbox.awaitToken(account.email(), "Reset your password");

        Http.Response reset = http.post(RESET, json("token", token, "password", NEW_PASSWORD));

        assertSuccess(reset, 200);
        assertThat(reset.data().path("access_token").asText()).isNotBlank();
        assertThat(reset.data().path("user").path("id").asText()).isEqualTo(account.userId());
        assertThat(http.bearer(account.accessToken()).get(ME).status()).isEqualTo(401);
        assertThat(http.bearer(second.accessToken()).get(ME).status()).isEqualTo(401);
        assertThat(http.bearer(reset.data().path("access_token").asText()).get(ME).status()).isEqualTo(200);
        assertSuccess(http.post(LOGIN, json("email", account.email(), "password", NEW_PASSWORD)), 200);
        assertError(http.post(LOGIN, json("email", account.email(), "password", Accounts.PASSWORD)), 401,
                "INVALID_CREDENTIALS");
    }

    @Test
    void givenAUsedResetToken_whenUsedAgain_then400AndThePasswordStays() {
        Accounts.Account account = accounts.anAccount();
        http.post(FORGOT, json("email", account.email()));
        String token = Mailbox.awaitToken(account.email(), "Reset your password");
        assertSuccess(http.post(RESET, json("token", token, "password", NEW_PASSWORD)), 200);

        assertError(http.post(RESET, json("token", token, "password", "yet another passphrase")), 400, "BAD_REQUEST");
        assertSuccess(http.post(LOGIN, json("email", account.email(), "password", NEW_PASSWORD)), 200);
    }

    @Test
    void givenAnExpiredResetToken_whenUsed_then400() {
        Accounts.Account account = accounts.anAccount();
        clock.freeze();
        http.post(FORGOT, json("email", account.email()));
        String token = Mailbox.awaitToken(account.email(), "Reset your password");
        clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertError(http.post(RESET, json("token", token, "password", NEW_PASSWORD)), 400, "BAD_REQUEST");
        clock.release();
        assertSuccess(http.post(LOGIN, json("email", account.email(), "password", Accounts.PASSWORD)), 200);
    }

    @Test
    void givenALockedAccount_whenReset_thenSignedInAndUnlocked() {
        Accounts.Account account = accounts.anAccount();
        for (int i = 0; i < 10; i++) { // the test configuration's lockout_max_attempts (default 10)
            http.post(LOGIN, json("email", account.email(), "password", "wrong " + i));
        }
        assertError(http.post(LOGIN, json("email", account.email(), "password", Accounts.PASSWORD)), 423, "ACCOUNT_LOCKED");
        http.post(FORGOT, json("email", account.email()));
        String token = Mailbox.awaitToken(account.email(), "Reset your password");

        assertSuccess(http.post(RESET, json("token", token, "password", NEW_PASSWORD)), 200);
        assertSuccess(http.post(LOGIN, json("email", account.email(), "password", NEW_PASSWORD)), 200);
    }

    @Test
    void givenAResetJustSent_whenAskedAgainWithinAMinute_thenTheSame202ButNoSecondEmail_andAfterItOneMore() {
        Accounts.Account account = accounts.anAccount();
        clock.freeze();
        assertSuccess(http.post(FORGOT, json("email", account.email())), 202);
        Mailbox.awaitToken(account.email(), "Reset your password");

        assertSuccess(http.post(FORGOT, json("email", account.email())), 202);
        assertThat(resetRequests(account)).as("the second request within the minute issued no token").isEqualTo(1);
        clock.advance(Duration.ofSeconds(61));
        assertSuccess(http.post(FORGOT, json("email", account.email())), 202);

        assertThat(resetRequests(account)).isEqualTo(2);
        Mailbox.awaitToken(account.email(), "Reset your password", 2);
    }

    private static long resetRequests(Accounts.Account account) {
        return dev.baserdb.api.support.AuditTrail.count("SELECT count(*) FROM domainevententry WHERE "
                + "aggregateidentifier = ? AND payloadtype LIKE '%UserPasswordResetRequested'", account.userId());
    }

    @Test
    void givenAForgedToken_whenResetting_then400() {
        assertError(http.post(RESET, json("token", "forged-" + UUID.randomUUID(), "password", NEW_PASSWORD)), 400,
                "BAD_REQUEST");
    }

    @Test
    void givenBadBodies_whenResetting_then400() {
        assertValidationFailedOn(http.post(RESET, json("token", "x", "password", "short")), "password");
        assertValidationFailedOn(http.post(RESET, json("password", NEW_PASSWORD)), "token");
        assertError(http.send("POST", RESET, "{\"token\": ", "application/json"), 400, "BAD_REQUEST");
        assertValidationFailedOn(http.post(RESET, json("token", List.of("x"), "password", NEW_PASSWORD)), "token");
        assertValidationFailedOn(http.post(FORGOT, json("email", "")), "email");
    }

    @Test
    void givenAVerificationToken_whenUsedForAReset_then400() {
        Accounts.Account account = accounts.anAccount();
        String verification = Mailbox.awaitToken(account.email(), "Verify your email");

        assertError(http.post(RESET, json("token", verification, "password", NEW_PASSWORD)), 400, "BAD_REQUEST");
    }

    // --- email verification ---

    @Test
    void givenARegistration_whenTheMailedTokenIsUsed_thenTheEmailIsVerified_andOnceOnly() {
        Accounts.Account account = accounts.anAccount();
        assertThat(http.bearer(account.accessToken()).get(ME).data().path("user").path("email_verified").asBoolean())
                .isFalse();
        String token = Mailbox.awaitToken(account.email(), "Verify your email");

        assertSuccess(http.post(VERIFY_EMAIL, json("token", token)), 200);

        assertThat(http.bearer(account.accessToken()).get(ME).data().path("user").path("email_verified").asBoolean())
                .isTrue();
        assertError(http.post(VERIFY_EMAIL, json("token", token)), 400, "BAD_REQUEST");
        assertError(http.bearer(account.accessToken()).post(RESEND, null), 409, "CONFLICT");
    }

    @Test
    void givenAnUnverifiedAccount_whenResending_then202AndASecondLinkWorks() {
        Accounts.Account account = accounts.anAccount();
        Mailbox.awaitToken(account.email(), "Verify your email");

        assertSuccess(http.bearer(account.accessToken()).post(RESEND, null), 202);

        String second = Mailbox.awaitToken(account.email(), "Verify your email", 2);
        assertSuccess(http.post(VERIFY_EMAIL, json("token", second)), 200);
    }

    @Test
    void givenNoToken_whenResending_then401_andAForgedVerificationIs400() {
        assertError(http.post(RESEND, null), 401, "UNAUTHORIZED");
        assertError(http.post(VERIFY_EMAIL, json("token", "nope")), 400, "BAD_REQUEST");
    }

    // --- magic links ---

    @Test
    void givenAKnownAndAnUnknownEmail_whenAskingForAMagicLink_thenTheSame202() {
        Accounts.Account account = accounts.anAccount();
        Http.Response known = http.post(MAGIC, json("email", account.email()));
        Http.Response stranger = http.post(MAGIC, json("email", "nobody-" + UUID.randomUUID() + "@example.com"));

        assertSuccess(known, 202);
        assertSuccess(stranger, 202);
        assertThat(known.data()).isEqualTo(stranger.data());
    }

    @Test
    void givenAMagicLink_whenUsed_thenTokens_andUsedAgain400() {
        Accounts.Account account = accounts.anAccount();
        http.post(MAGIC, json("email", account.email()));
        String token = Mailbox.awaitToken(account.email(), "sign-in link");

        Http.Response signedIn = http.post(MAGIC_VERIFY, json("token", token));

        assertSuccess(signedIn, 200);
        assertThat(http.bearer(signedIn.data().path("access_token").asText()).get(ME).data().path("user")
                .path("id").asText()).isEqualTo(account.userId());
        assertError(http.post(MAGIC_VERIFY, json("token", token)), 400, "BAD_REQUEST");
    }

    @Test
    void givenAnExpiredMagicLink_whenUsed_then400() {
        Accounts.Account account = accounts.anAccount();
        clock.freeze();
        http.post(MAGIC, json("email", account.email()));
        String token = Mailbox.awaitToken(account.email(), "sign-in link");
        clock.advance(Duration.ofMinutes(61));

        assertError(http.post(MAGIC_VERIFY, json("token", token)), 400, "BAD_REQUEST");
    }

    @Test
    void givenAResetToken_whenUsedAsAMagicLink_then400() {
        Accounts.Account account = accounts.anAccount();
        http.post(FORGOT, json("email", account.email()));
        String reset = Mailbox.awaitToken(account.email(), "Reset your password");

        assertError(http.post(MAGIC_VERIFY, json("token", reset)), 400, "BAD_REQUEST");
    }

    @Test
    void givenAnyStep_whenItHappens_thenTheEventHoldsOnlyTheTokensHash() throws Exception {
        Accounts.Account account = accounts.anAccount();
        http.post(FORGOT, json("email", account.email()));
        String token = Mailbox.awaitToken(account.email(), "Reset your password");

        long plain = dev.baserdb.api.support.AuditTrail.count(
                "SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND position(? in convert_from(payload, 'UTF8')) > 0",
                account.userId(), token);
        long hashed = dev.baserdb.api.support.AuditTrail.count(
                "SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND position(? in convert_from(payload, 'UTF8')) > 0",
                account.userId(), dev.baserdb.api.platform.security.Secrets.sha256(token));
        assertThat(plain).isZero();
        assertThat(hashed).isEqualTo(1);
    }
}
