package dev.baserdb.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static dev.baserdb.api.identity.AuthAssertions.LOGIN;
import static dev.baserdb.api.identity.AuthAssertions.REGISTER;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertValidationFailedOn;
import static dev.baserdb.api.identity.AuthAssertions.uniqueEmail;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/auth/register (API.md §3) over real HTTP, with its bad inputs. */
@ApiTest
class RegisterHttpTest {

    private static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    private Http.Response register(Object body) {
        return http.post(REGISTER, body);
    }

    @Test
    void givenNewEmail_whenRegister_then201WithTokenPairAndUser() {
        String email = uniqueEmail();

        Http.Response response = register(json("email", email, "password", PASSWORD,
                "display_name", "Ada Lovelace", "locale", "de-CH"));

        assertSuccess(response, 201);
        JsonNode data = response.data();
        assertThat(data.path("access_token").asText()).isNotBlank();
        assertThat(data.path("refresh_token").asText()).isNotBlank();
        assertThat(data.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(data.path("expires_in").asLong()).isEqualTo(Duration.ofMinutes(15).toSeconds());
        JsonNode user = data.path("user");
        assertThat(user.path("id").asText()).startsWith("usr_");
        assertThat(user.path("email").asText()).isEqualTo(email);
        assertThat(user.path("display_name").asText()).isEqualTo("Ada Lovelace");
        assertThat(user.path("locale").asText()).isEqualTo("de-CH");
    }

    @Test
    void givenRegistration_whenAccessTokenIsDecoded_thenItIsAnEdDsaJwtWithTheDocumentedClaims() throws Exception {
        Http.Response response = register(json("email", uniqueEmail(), "password", PASSWORD));
        assertSuccess(response, 201);

        SignedJWT jwt = SignedJWT.parse(response.data().path("access_token").asText());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        assertThat(claims.getIssuer()).isNotBlank();
        assertThat(claims.getSubject()).isEqualTo(response.data().path("user").path("id").asText());
        assertThat(claims.getAudience()).isNotEmpty();
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getStringClaim("sid")).startsWith("ses_");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void givenPasswordOfExactly8Characters_whenRegister_then201() {
        assertSuccess(register(json("email", uniqueEmail(), "password", "12345678")), 201);
    }

    @Test
    void givenPasswordOfExactly128Characters_whenRegister_then201() {
        assertSuccess(register(json("email", uniqueEmail(), "password", "p".repeat(128))), 201);
    }

    @Test
    void givenPasswordOf7Characters_whenRegister_thenValidationFailsOnPassword() {
        assertValidationFailedOn(register(json("email", uniqueEmail(), "password", "1234567")), "password");
    }

    @Test
    void givenPasswordOf129Characters_whenRegister_thenValidationFailsOnPassword() {
        assertValidationFailedOn(register(json("email", uniqueEmail(), "password", "p".repeat(129))), "password");
    }

    /** API.md counts characters, not UTF-16 units: 😀 is one character (two units in Java). */
    @Test
    void givenPasswordOf4NonBmpCharacters_whenRegister_thenValidationFailsOnPassword() {
        assertValidationFailedOn(register(json("email", uniqueEmail(), "password", "😀".repeat(4))), "password");
    }

    @Test
    void givenPasswordOf100NonBmpCharacters_whenRegister_then201() {
        assertSuccess(register(json("email", uniqueEmail(), "password", "😀".repeat(100))), 201);
    }

    @Test
    void givenInvalidEmail_whenRegister_thenValidationFailsOnEmail() {
        assertValidationFailedOn(register(json("email", "not-an-email", "password", PASSWORD)), "email");
    }

    @Test
    void givenMissingEmailAndPassword_whenRegister_thenValidationFailsNamingBoth() {
        assertValidationFailedOn(register(json("display_name", "Nobody")), "email", "password");
    }

    @Test
    void givenEmailAsNumber_whenRegister_thenValidationFailsOnEmail() {
        assertValidationFailedOn(register(json("email", 42, "password", PASSWORD)), "email");
    }

    @Test
    void givenPasswordAsBoolean_whenRegister_thenValidationFailsOnPassword() {
        assertValidationFailedOn(register(json("email", uniqueEmail(), "password", true)), "password");
    }

    @Test
    void givenDisplayNameAsObject_whenRegister_thenValidationFailsOnDisplayName() {
        assertValidationFailedOn(register(json("email", uniqueEmail(), "password", PASSWORD,
                "display_name", Map.of("first", "Ada"))), "display_name");
    }

    @Test
    void givenInvalidLocale_whenRegister_thenValidationFailsOnLocale() {
        assertValidationFailedOn(register(json("email", uniqueEmail(), "password", PASSWORD,
                "locale", "not a locale!")), "locale");
    }

    @Test
    void givenMalformedJson_whenRegister_then400BadRequest() {
        assertError(register("{\"email\": \"a@example.com\", \"password\": "), 400, "BAD_REQUEST");
    }

    @Test
    void givenEmptyBody_whenRegister_then400BadRequest() {
        assertError(http.send("POST", REGISTER, "", "application/json"), 400, "BAD_REQUEST");
    }

    @Test
    void givenMixedCaseEmail_whenRegister_thenItIsStoredLowerCased() {
        String email = "Mixed.Case-" + java.util.UUID.randomUUID() + "@Example.COM";

        Http.Response response = register(json("email", email, "password", PASSWORD));

        assertSuccess(response, 201);
        assertThat(response.data().path("user").path("email").asText()).isEqualTo(email.toLowerCase(Locale.ROOT));
    }

    @Test
    void givenRegisteredEmail_whenRegisteringItAgainInAnotherCase_then409Conflict() {
        String email = uniqueEmail();
        assertSuccess(register(json("email", email, "password", PASSWORD)), 201);

        Http.Response again = register(json("email", email.toUpperCase(Locale.ROOT), "password", "another password"));

        assertError(again, 409, "CONFLICT");
    }

    @Test
    void givenMixedCaseRegistration_whenLoggingInWithAnotherCase_then200ForTheSameUser() {
        String email = "Case-" + java.util.UUID.randomUUID() + "@Example.com";
        Http.Response registered = register(json("email", email, "password", PASSWORD));
        assertSuccess(registered, 201);

        Http.Response login = http.post(LOGIN, json("email", email.toUpperCase(Locale.ROOT), "password", PASSWORD));

        assertSuccess(login, 200);
        assertThat(login.data().path("user").path("id").asText())
                .isEqualTo(registered.data().path("user").path("id").asText());
    }

    @Test
    void givenNonJsonContentType_whenRegister_then415UnsupportedMediaType() {
        Http.Response response = http.send("POST", REGISTER, "email=a@example.com&password=12345678",
                "application/x-www-form-urlencoded");

        assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
}
