package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds accounts for tests through the public API: {@code anAccount()} registers a fresh user. */
public final class Accounts {

    public static final String PASSWORD = "correct horse battery";

    private final Http http;

    public Accounts(Http http) {
        this.http = http;
    }

    /** A user just registered (and signed in) with a unique email. */
    public Account anAccount() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        Http.Response response = http.post("/api/v1/auth/register",
                Http.json("email", email, "password", PASSWORD, "display_name", "Test User"));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return Account.of(email, response.data());
    }

    /** The platform admin the shared test context creates at start (see {@link TestDatabase#ADMIN_EMAIL}). */
    public Account admin() {
        return login(TestDatabase.ADMIN_EMAIL, TestDatabase.ADMIN_PASSWORD);
    }

    public Account login(String email, String password) {
        Http.Response response = http.post("/api/v1/auth/login", Http.json("email", email, "password", password));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return Account.of(email, response.data());
    }

    /** A signed-in user and the token pair of that sign-in. */
    public record Account(String email, String userId, String accessToken, String refreshToken) {

        static Account of(String email, JsonNode tokens) {
            return new Account(email, tokens.path("user").path("id").asText(),
                    tokens.path("access_token").asText(), tokens.path("refresh_token").asText());
        }
    }
}
