package dev.baserdb.api.identity;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.identity.AuthAssertions.LOGOUT;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.REFRESH;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertUnauthorized;
import static dev.baserdb.api.identity.AuthAssertions.assertValidationFailedOn;
import static dev.baserdb.api.identity.AuthAssertions.sessionIdOf;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/auth/refresh (API.md §3): rotation, reuse detection and bad inputs. */
@ApiTest
class RefreshHttpTest {

    @LocalServerPort
    int port;
    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    private Http.Response refresh(String refreshToken) {
        return http.post(REFRESH, json("refresh_token", refreshToken));
    }

    @Test
    void givenTheCurrentRefreshToken_whenRefresh_then200WithANewPairForTheSameSession() {
        Accounts.Account account = accounts.anAccount();

        Http.Response response = refresh(account.refreshToken());

        assertSuccess(response, 200);
        String access = response.data().path("access_token").asText();
        String refreshToken = response.data().path("refresh_token").asText();
        assertThat(access).isNotBlank().isNotEqualTo(account.accessToken());
        assertThat(refreshToken).isNotBlank().isNotEqualTo(account.refreshToken());
        assertThat(response.data().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(response.data().path("expires_in").asLong()).isEqualTo(900);
        assertThat(response.data().path("user").path("id").asText()).isEqualTo(account.userId());
        assertThat(sessionIdOf(access)).isEqualTo(sessionIdOf(account.accessToken()));
    }

    @Test
    void givenARotatedPair_whenUsingIt_thenTheNewAccessAndRefreshTokensWork() {
        Accounts.Account account = accounts.anAccount();
        Http.Response second = refresh(account.refreshToken());
        assertSuccess(second, 200);

        assertSuccess(http.bearer(second.data().path("access_token").asText()).get(ME), 200);
        assertSuccess(refresh(second.data().path("refresh_token").asText()), 200);
    }

    @Test
    void givenARotatedRefreshToken_whenReplayed_then401() {
        Accounts.Account account = accounts.anAccount();
        assertSuccess(refresh(account.refreshToken()), 200);

        assertUnauthorized(refresh(account.refreshToken()));
    }

    @Test
    void givenARotatedRefreshToken_whenReplayed_thenTheWholeSessionIsRevoked() {
        Accounts.Account account = accounts.anAccount();
        Http.Response second = refresh(account.refreshToken());
        assertSuccess(second, 200);
        String secondAccess = second.data().path("access_token").asText();
        String secondRefresh = second.data().path("refresh_token").asText();
        assertSuccess(http.bearer(secondAccess).get(ME), 200);

        assertUnauthorized(refresh(account.refreshToken()));

        assertUnauthorized(http.bearer(secondAccess).get(ME));
        assertUnauthorized(refresh(secondRefresh));
    }

    @Test
    void givenARotatedRefreshToken_whenReplayed_thenSessionRefreshReuseDetectedIsInTheEventStore() throws Exception {
        Accounts.Account account = accounts.anAccount();
        String sessionId = sessionIdOf(account.accessToken());
        assertSuccess(refresh(account.refreshToken()), 200);
        assertThat(eventTypesOf(sessionId)).noneMatch(type -> type.endsWith("SessionRefreshReuseDetected"));

        assertUnauthorized(refresh(account.refreshToken()));

        assertThat(eventTypesOf(sessionId))
                .anyMatch(type -> type.endsWith("SessionRefreshReuseDetected"))
                .last().satisfies(type -> assertThat(type).endsWith("SessionRevoked"));
    }

    private static List<String> eventTypesOf(String aggregateId) throws Exception {
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT payloadtype FROM domainevententry WHERE aggregateidentifier = ? ORDER BY sequencenumber")) {
            s.setString(1, aggregateId);
            List<String> types = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            return types;
        }
    }

    @Test
    void givenAnUnknownRefreshToken_whenRefresh_then401() {
        assertUnauthorized(refresh("never-issued-" + java.util.UUID.randomUUID()));
    }

    @Test
    void givenALoggedOutSession_whenRefreshingWithItsToken_then401() {
        Accounts.Account account = accounts.anAccount();
        assertSuccess(http.bearer(account.accessToken()).post(LOGOUT, null), 200);

        assertUnauthorized(refresh(account.refreshToken()));
    }

    @Test
    void givenMissingRefreshToken_whenRefresh_thenValidationFailsOnRefreshToken() {
        assertValidationFailedOn(http.post(REFRESH, json()), "refresh_token");
    }

    @Test
    void givenRefreshTokenAsNumber_whenRefresh_thenValidationFailsOnRefreshToken() {
        assertValidationFailedOn(http.post(REFRESH, json("refresh_token", 123456)), "refresh_token");
    }

    @Test
    void givenMalformedJson_whenRefresh_then400BadRequest() {
        assertError(http.post(REFRESH, "{\"refresh_token\": "), 400, "BAD_REQUEST");
    }
}
