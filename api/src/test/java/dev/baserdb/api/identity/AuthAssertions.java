package dev.baserdb.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baserdb.api.support.Http;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions and small helpers shared by the platform authentication HTTP tests. */
final class AuthAssertions {

    static final String REGISTER = "/api/v1/auth/register";
    static final String LOGIN = "/api/v1/auth/login";
    static final String REFRESH = "/api/v1/auth/refresh";
    static final String LOGOUT = "/api/v1/auth/logout";
    static final String LOGOUT_ALL = "/api/v1/auth/logout-all";
    static final String ME = "/api/v1/auth/me";
    static final String PASSWORD_ROUTE = "/api/v1/auth/password";
    static final String SESSIONS = "/api/v1/auth/sessions";
    static final String JWKS = "/.well-known/jwks.json";

    private AuthAssertions() {
    }

    static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /** The four keys of API.md §1, with {@code meta.request_id} echoed in the {@code X-Request-ID} header. */
    static void assertEnvelope(Http.Response response) {
        JsonNode body = response.body();
        assertThat(body.isObject()).as("JSON object body: %s", response).isTrue();
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("envelope keys of %s", response).containsExactlyInAnyOrder("success", "data", "meta", "error");
        assertThat(body.path("success").isBoolean()).as("success is a boolean: %s", response).isTrue();
        String requestId = body.path("meta").path("request_id").asText("");
        assertThat(requestId).as("meta.request_id of %s", response).isNotBlank();
        assertThat(response.header("X-Request-ID")).as("X-Request-ID header of %s", response).isEqualTo(requestId);
    }

    static void assertSuccess(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertEnvelope(response);
        assertThat(response.body().path("success").asBoolean()).as(response.toString()).isTrue();
        assertThat(response.body().path("error").isNull()).as(response.toString()).isTrue();
    }

    static void assertError(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertEnvelope(response);
        assertThat(response.body().path("success").asBoolean(true)).as(response.toString()).isFalse();
        assertThat(response.body().path("data").isNull()).as(response.toString()).isTrue();
        assertThat(response.errorCode()).as(response.toString()).isEqualTo(code);
        assertThat(response.body().path("error").path("message").asText("")).as(response.toString()).isNotBlank();
    }

    /** 400 VALIDATION_FAILED whose {@code error.details} names (at least) these fields. */
    static void assertValidationFailedOn(Http.Response response, String... fields) {
        assertError(response, 400, "VALIDATION_FAILED");
        JsonNode details = response.body().path("error").path("details");
        for (String field : fields) {
            assertThat(details.has(field)).as("error.details names %s: %s", field, response).isTrue();
            assertThat(details.path(field).asText("")).as("message for %s: %s", field, response).isNotBlank();
        }
    }

    static void assertUnauthorized(Http.Response response) {
        assertError(response, 401, "UNAUTHORIZED");
    }

    static JWTClaimsSet claims(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT: " + accessToken, e);
        }
    }

    static String sessionIdOf(String accessToken) {
        try {
            return claims(accessToken).getStringClaim("sid");
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
