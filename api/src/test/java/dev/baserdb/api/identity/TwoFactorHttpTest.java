package dev.baserdb.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestClock;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.baserdb.api.identity.AuthAssertions.LOGIN;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertValidationFailedOn;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TOTP two-factor (API.md §3): setup, enable with a code, login answering {mfa_required, mfa_token},
 * verify with the previous, current or next window's code, no replay, recovery codes once, wrong
 * codes toward the lockout, disable with a code, and the credential reveal's require_mfa. Codes are
 * computed here, from the secret, with an RFC 6238 implementation of the test's own.
 */
@ApiTest
class TwoFactorHttpTest {

    static final String SETUP = "/api/v1/auth/2fa/setup";
    static final String ENABLE = "/api/v1/auth/2fa/enable";
    static final String DISABLE = "/api/v1/auth/2fa";
    static final String VERIFY = "/api/v1/auth/2fa/verify";

    @LocalServerPort
    int port;
    @Autowired
    TestClock clock;
    Http http;
    Accounts accounts;
    Instant now;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        now = clock.freeze();
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    /** An account with 2FA on: its secret and recovery codes. */
    record TwoFactorAccount(Accounts.Account account, String secret, List<String> recoveryCodes) {
    }

    /** RFC 6238 / 4226 with HMAC-SHA-1, 6 digits, 30 s, written here so the server's code is checked, not reused. */
    static String code(String base32Secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteBuffer out = ByteBuffer.allocate(text.length() * 5 / 8);
        long buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }

    long step() {
        return now.getEpochSecond() / 30;
    }

    TwoFactorAccount withTwoFactor() {
        Accounts.Account account = accounts.anAccount();
        Http me = http.bearer(account.accessToken());
        Http.Response setup = me.post(SETUP, null);
        assertSuccess(setup, 200);
        String secret = setup.data().path("secret").asText();
        Http.Response enabled = me.post(ENABLE, json("code", code(secret, step() - 1)));
        assertSuccess(enabled, 200);
        List<String> codes = new ArrayList<>();
        enabled.data().path("recovery_codes").forEach(c -> codes.add(c.asText()));
        return new TwoFactorAccount(account, secret, codes);
    }

    String mfaToken(Accounts.Account account) {
        Http.Response login = http.post(LOGIN, json("email", account.email(), "password", Accounts.PASSWORD));
        assertSuccess(login, 200);
        assertThat(login.data().path("mfa_required").asBoolean()).as(login.toString()).isTrue();
        assertThat(login.data().has("access_token")).isFalse();
        return login.data().path("mfa_token").asText();
    }

    Http.Response verify(String mfaToken, String code) {
        return http.post(VERIFY, json("mfa_token", mfaToken, "code", code));
    }

    @Test
    void givenSetup_thenTheSecretAndAnOtpauthUrlNamingIt() {
        Accounts.Account account = accounts.anAccount();

        Http.Response setup = http.bearer(account.accessToken()).post(SETUP, null);

        assertSuccess(setup, 200);
        String secret = setup.data().path("secret").asText();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(setup.data().path("otpauth_url").asText())
                .startsWith("otpauth://totp/").contains("secret=" + secret).contains("digits=6").contains("period=30")
                .contains("algorithm=SHA1");
    }

    @Test
    void givenSetup_whenEnablingWithAWrongCode_then400AndStillOff() {
        Accounts.Account account = accounts.anAccount();
        Http me = http.bearer(account.accessToken());
        String secret = me.post(SETUP, null).data().path("secret").asText();

        assertValidationFailedOn(me.post(ENABLE, json("code", code(secret, step() + 5))), "code");
        assertValidationFailedOn(me.post(ENABLE, json("code", "")), "code");
        assertThat(me.get(ME).data().path("user").path("two_factor_enabled").asBoolean()).isFalse();
    }

    @Test
    void givenNoSetup_whenEnabling_then409() {
        Accounts.Account account = accounts.anAccount();
        assertError(http.bearer(account.accessToken()).post(ENABLE, json("code", "123456")), 409, "CONFLICT");
    }

    @Test
    void givenTwoFactor_whenEnabled_thenTenRecoveryCodesAndTheUserSaysSo() {
        TwoFactorAccount account = withTwoFactor();

        assertThat(account.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
        assertThat(http.bearer(account.account().accessToken()).get(ME).data().path("user")
                .path("two_factor_enabled").asBoolean()).isTrue();
    }

    @Test
    void givenTwoFactor_whenLoggingIn_thenMfaRequired_andThePreviousCurrentAndNextWindowsEachWork() {
        TwoFactorAccount account = withTwoFactor();
        now = clock.advance(java.time.Duration.ofSeconds(60));

        Http.Response previous = verify(mfaToken(account.account()), code(account.secret(), step() - 1));
        Http.Response current = verify(mfaToken(account.account()), code(account.secret(), step()));
        Http.Response next = verify(mfaToken(account.account()), code(account.secret(), step() + 1));

        assertSuccess(previous, 200);
        assertSuccess(current, 200);
        assertSuccess(next, 200);
        assertThat(http.bearer(next.data().path("access_token").asText()).get(ME).data().path("user").path("id")
                .asText()).isEqualTo(account.account().userId());
    }

    @Test
    void givenTheCodeUsedToEnable_whenSigningInWithIt_then401() {
        TwoFactorAccount account = withTwoFactor();
        assertError(verify(mfaToken(account.account()), code(account.secret(), step() - 1)), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void givenACodeAccepted_whenReplayedInItsWindow_then401() {
        TwoFactorAccount account = withTwoFactor();
        String code = code(account.secret(), step());
        assertSuccess(verify(mfaToken(account.account()), code), 200);

        assertError(verify(mfaToken(account.account()), code), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void givenACodeTwoWindowsAway_whenVerifying_then401() {
        TwoFactorAccount account = withTwoFactor();
        assertError(verify(mfaToken(account.account()), code(account.secret(), step() + 2)), 401, "INVALID_CREDENTIALS");
        assertError(verify(mfaToken(account.account()), code(account.secret(), step() - 2)), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void givenAnMfaToken_whenUsed_thenItIsDead_andForgedOnesAre401() {
        TwoFactorAccount account = withTwoFactor();
        String token = mfaToken(account.account());
        assertSuccess(verify(token, code(account.secret(), step())), 200);

        assertError(verify(token, code(account.secret(), step() + 1)), 401, "UNAUTHORIZED");
        assertError(verify("forged", code(account.secret(), step() + 1)), 401, "UNAUTHORIZED");
        assertValidationFailedOn(http.post(VERIFY, json("mfa_token", token)), "code");
        assertError(http.send("POST", VERIFY, "[1,2]", "application/json"), 400, "BAD_REQUEST");
    }

    @Test
    void givenAnExpiredMfaToken_whenVerifying_then401() {
        TwoFactorAccount account = withTwoFactor();
        String token = mfaToken(account.account());
        now = clock.advance(AuthService.MFA_TOKEN_TTL.plusSeconds(1));

        assertError(verify(token, code(account.secret(), step())), 401, "UNAUTHORIZED");
    }

    @Test
    void givenARecoveryCode_whenUsed_thenItWorksOnceOnly() {
        TwoFactorAccount account = withTwoFactor();
        String recovery = account.recoveryCodes().get(3);

        assertSuccess(verify(mfaToken(account.account()), recovery), 200);
        assertError(verify(mfaToken(account.account()), recovery), 401, "INVALID_CREDENTIALS");
        assertSuccess(verify(mfaToken(account.account()), account.recoveryCodes().get(4).toUpperCase(Locale.ROOT)), 200);
    }

    @Test
    void givenWrongCodes_whenTheyReachTheLimit_thenTheAccountIsLocked() {
        TwoFactorAccount account = withTwoFactor();
        String token = mfaToken(account.account());
        int max = 10; // BASERDB_LOCKOUT_MAX_ATTEMPTS of the test configuration (the default)
        for (int i = 0; i < max; i++) {
            assertError(verify(token, "000000".equals(code(account.secret(), step())) ? "111111" : "000000"), 401,
                    "INVALID_CREDENTIALS");
        }

        Http.Response locked = verify(token, code(account.secret(), step()));
        assertError(locked, 423, "ACCOUNT_LOCKED");
        assertThat(locked.header("Retry-After")).isNotBlank();
        assertError(http.post(LOGIN, json("email", account.account().email(), "password", Accounts.PASSWORD)), 423,
                "ACCOUNT_LOCKED");
    }

    @Test
    void givenTwoFactor_whenDisablingWithAWrongCode_then400_andWithARightOne_thenLoginNeedsNoCode() {
        TwoFactorAccount account = withTwoFactor();
        Http me = http.bearer(account.account().accessToken());

        assertValidationFailedOn(me.send("DELETE", DISABLE, json("code", "000001"), "application/json"), "code");
        assertSuccess(me.send("DELETE", DISABLE, json("code", code(account.secret(), step())), "application/json"), 200);

        Http.Response login = http.post(LOGIN, json("email", account.account().email(), "password", Accounts.PASSWORD));
        assertSuccess(login, 200);
        assertThat(login.data().path("access_token").asText()).isNotBlank();
        assertError(me.send("DELETE", DISABLE, json("code", code(account.secret(), step() + 1)), "application/json"),
                409, "CONFLICT");
    }

    @Test
    void givenTwoFactor_whenThePasswordIsResetByEmail_thenTheSecondFactorIsStillAsked() {
        TwoFactorAccount account = withTwoFactor();
        http.post("/api/v1/auth/forgot-password", json("email", account.account().email()));
        String token = dev.baserdb.api.support.Mailbox.awaitToken(account.account().email(), "Reset your password");

        Http.Response reset = http.post("/api/v1/auth/reset-password", json("token", token, "password",
                "a new passphrase here"));

        assertSuccess(reset, 200);
        assertThat(reset.data().path("mfa_required").asBoolean()).isTrue();
        assertThat(reset.data().has("access_token")).isFalse();
        assertSuccess(verify(reset.data().path("mfa_token").asText(), code(account.secret(), step())), 200);
    }

    @Test
    void givenNoToken_whenSettingUp_then401() {
        assertError(http.post(SETUP, null), 401, "UNAUTHORIZED");
        assertError(http.post(ENABLE, json("code", "123456")), 401, "UNAUTHORIZED");
    }

    @Test
    void givenRequireMfa_whenRevealingWithTheCurrentCode_thenGranted_andTheSameCodeAgainIsRefused() {
        TwoFactorAccount owner = withTwoFactor();
        Tenancy tenancy = new Tenancy(http);
        String organization = tenancy.anOrganization(owner.account());
        String project = tenancy.aProject(owner.account(), organization).id();
        Http as = http.bearer(owner.account().accessToken());
        JsonNode created = Tenancy.ok(as.post("/api/v1/credentials", json("project_id", project, "name", "mfa-ext",
                "kind", "external", "uri", "postgresql://u:secret@db.example.com:5432/x",
                "reveal_policy", json("roles", List.of("owner"), "require_mfa", true, "require_reason", true))));
        String path = "/api/v1/credentials/" + created.path("id").asText() + "/reveal";
        String code = code(owner.secret(), step());

        Http.Response withoutCode = as.post(path, json("reason", "incident"));
        Http.Response granted = as.post(path, json("reason", "incident", "mfa_code", code));
        Http.Response replayed = as.post(path, json("reason", "incident", "mfa_code", code));

        assertError(withoutCode, 401, "MFA_REQUIRED");
        assertSuccess(granted, 200);
        assertThat(granted.data().path("uri").asText()).isEqualTo("postgresql://u:secret@db.example.com:5432/x");
        assertError(replayed, 401, "MFA_REQUIRED");
    }
}
