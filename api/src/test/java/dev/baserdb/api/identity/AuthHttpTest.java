package dev.baserdb.api.identity;

import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.baserdb.api.identity.AuthAssertions.JWKS;
import static dev.baserdb.api.identity.AuthAssertions.LOGIN;
import static dev.baserdb.api.identity.AuthAssertions.LOGOUT;
import static dev.baserdb.api.identity.AuthAssertions.LOGOUT_ALL;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.PASSWORD_ROUTE;
import static dev.baserdb.api.identity.AuthAssertions.REFRESH;
import static dev.baserdb.api.identity.AuthAssertions.REGISTER;
import static dev.baserdb.api.identity.AuthAssertions.SESSIONS;
import static dev.baserdb.api.identity.AuthAssertions.assertEnvelope;
import static dev.baserdb.api.identity.AuthAssertions.uniqueEmail;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-cutting promises of the platform authentication routes, checked over one journey that
 * calls every route of API.md §3 that exists, with successes and failures: every answer is in the
 * envelope with its request id, no answer shows a password or a password hash, and no plain
 * password reaches the event store. The route-by-route behaviour is in {@link RegisterHttpTest},
 * {@link LoginHttpTest}, {@link RefreshHttpTest}, {@link SessionHttpTest}, {@link PasswordHttpTest}
 * and {@link TokenHttpTest}.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthHttpTest {

    @LocalServerPort
    int port;

    private final String email = uniqueEmail();
    private final String firstPassword = "first-secret-" + UUID.randomUUID();
    private final String secondPassword = "second-secret-" + UUID.randomUUID();
    private final String wrongPassword = "wrong-secret-" + UUID.randomUUID();
    private final String tooShortPassword = UUID.randomUUID().toString().substring(0, 7);
    private final List<String> passwordHashes = new ArrayList<>();
    /** Every response of the journey by a label, and the request id each was sent with. */
    private final Map<String, Http.Response> responses = new LinkedHashMap<>();
    private final Map<String, String> requestIds = new LinkedHashMap<>();
    private String userId;
    private Http http;

    @BeforeAll
    void walkThroughEveryRoute() throws Exception {
        http = new Http(port);
        Http.Response registered = call("register", "POST", REGISTER, null,
                json("email", email, "password", firstPassword, "display_name", "Journey"));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        userId = registered.data().path("user").path("id").asText();
        passwordHashes.add(passwordHashOf(userId));
        String refresh = registered.data().path("refresh_token").asText();

        call("register duplicate", "POST", REGISTER, null, json("email", email.toUpperCase(), "password", firstPassword));
        call("register too short", "POST", REGISTER, null, json("email", uniqueEmail(), "password", tooShortPassword));
        call("register malformed", "POST", REGISTER, null, "{\"email\":");
        call("login wrong password", "POST", LOGIN, null, json("email", email, "password", wrongPassword));
        call("login unknown email", "POST", LOGIN, null, json("email", uniqueEmail(), "password", firstPassword));
        call("login wrong type", "POST", LOGIN, null, json("email", email, "password", 12345678));
        Http.Response login = call("login", "POST", LOGIN, null, json("email", email, "password", firstPassword));
        String otherAccess = login.data().path("access_token").asText();

        Http.Response refreshed = call("refresh", "POST", REFRESH, null, json("refresh_token", refresh));
        String rotatedAccess = refreshed.data().path("access_token").asText();
        call("refresh unknown", "POST", REFRESH, null, json("refresh_token", "unknown-" + UUID.randomUUID()));
        call("refresh missing", "POST", REFRESH, null, json());

        call("me", "GET", ME, rotatedAccess, null);
        call("me garbage token", "GET", ME, "garbage", null);
        call("sessions", "GET", SESSIONS, rotatedAccess, null);
        call("password wrong current", "PATCH", PASSWORD_ROUTE, rotatedAccess,
                json("current_password", wrongPassword, "new_password", secondPassword));
        call("password too short", "PATCH", PASSWORD_ROUTE, rotatedAccess,
                json("current_password", firstPassword, "new_password", tooShortPassword));
        Http.Response changed = call("password", "PATCH", PASSWORD_ROUTE, rotatedAccess,
                json("current_password", firstPassword, "new_password", secondPassword));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        passwordHashes.add(passwordHashOf(userId));
        call("me of revoked session", "GET", ME, otherAccess, null);

        Http.Response again = call("login new password", "POST", LOGIN, null,
                json("email", email, "password", secondPassword));
        call("logout", "POST", LOGOUT, rotatedAccess, null);
        call("logout again", "POST", LOGOUT, rotatedAccess, null);
        call("logout-all", "POST", LOGOUT_ALL, again.data().path("access_token").asText(), null);
        call("logout-all without token", "POST", LOGOUT_ALL, null, null);
        call("unknown auth route", "GET", "/api/v1/auth/no-such-route", null, null);
        call("jwks", "GET", JWKS, null, null);
    }

    private Http.Response call(String label, String method, String path, String bearer, Object body) {
        String requestId = "auth-journey-" + responses.size() + "-" + UUID.randomUUID();
        Http client = http.with("X-Request-ID", requestId);
        if (bearer != null) {
            client = client.bearer(bearer);
        }
        Http.Response response = client.send(method, path, body, body == null ? null : "application/json");
        responses.put(label, response);
        requestIds.put(label, requestId);
        return response;
    }

    @Test
    void givenTheJourney_thenItCalledEveryRouteAndGotSuccessesAndFailures() {
        assertThat(responses).hasSizeGreaterThan(20);
        assertThat(responses.values()).anyMatch(r -> r.status() == 200).anyMatch(r -> r.status() == 201)
                .anyMatch(r -> r.status() == 400).anyMatch(r -> r.status() == 401).anyMatch(r -> r.status() == 409);
        assertThat(responses.get("logout").status()).isEqualTo(200);
        assertThat(responses.get("logout-all").status()).isEqualTo(200);
        assertThat(responses.get("sessions").status()).isEqualTo(200);
        assertThat(responses.get("jwks").status()).isEqualTo(200);
    }

    @Test
    void givenEveryApiResponseOfTheJourney_thenEachIsInTheEnvelopeEchoingItsRequestId() {
        responses.forEach((label, response) -> {
            if (label.equals("jwks")) {
                return; // a JWK Set by RFC 7517, see TokenHttpTest
            }
            assertEnvelope(response);
            assertThat(response.body().path("meta").path("request_id").asText()).as(label)
                    .isEqualTo(requestIds.get(label));
            assertThat(response.body().path("success").asBoolean()).as("%s: %s", label, response)
                    .isEqualTo(response.status() < 400);
            if (response.status() >= 400) {
                assertThat(response.errorCode()).as("%s: %s", label, response).isNotBlank();
                assertThat(response.body().path("data").isNull()).as(label).isTrue();
            } else {
                assertThat(response.body().path("error").isNull()).as(label).isTrue();
            }
        });
    }

    @Test
    void givenUnknownRouteUnderAuth_then404InTheEnvelope() {
        Http.Response response = responses.get("unknown auth route");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void givenEveryResponseOfTheJourney_thenNoneShowsAPasswordOrAPasswordHash() {
        assertThat(passwordHashes).hasSize(2).allSatisfy(hash -> assertThat(hash).startsWith("$argon2"));
        List<String> secrets = List.of(firstPassword, secondPassword, wrongPassword, tooShortPassword,
                passwordHashes.get(0), passwordHashes.get(1));
        responses.forEach((label, response) -> {
            String text = response.text();
            for (String secret : secrets) {
                assertThat(text).as("%s leaks a password or hash: %s", label, text).doesNotContain(secret);
            }
            assertThat(text).as(label).doesNotContain("$argon2").doesNotContain("password_hash");
        });
    }

    @Test
    void givenTheEventStore_thenNoEventPayloadOrMetadataHoldsAPlainPassword() throws Exception {
        assertThat(eventsContaining(userIdOf(email))).as("control: the journey's events are found by content").isPositive();
        assertThat(eventsContaining(email)).as("the email is personal data, sealed in every event").isZero();
        assertThat(eventsContaining(passwordHashes.get(1))).as("control: the new password's hash is recorded").isPositive();

        for (String password : List.of(firstPassword, secondPassword, wrongPassword, tooShortPassword)) {
            assertThat(eventsContaining(password)).as("events holding %s", password).isZero();
        }
    }

    private static int eventsContaining(String text) throws Exception {
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM domainevententry"
                     + " WHERE position(? in convert_from(payload, 'UTF8')) > 0"
                     + " OR position(? in coalesce(convert_from(metadata, 'UTF8'), '')) > 0")) {
            s.setString(1, text);
            s.setString(2, text);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String userIdOf(String email) throws Exception {
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement("SELECT id FROM users WHERE email = ?")) {
            s.setString(1, email);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String passwordHashOf(String userId) throws Exception {
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement("SELECT password_hash FROM users WHERE id = ?")) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("user %s in the read model", userId).isTrue();
                return rs.getString(1);
            }
        }
    }
}
