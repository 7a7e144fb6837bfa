package dev.baserdb.api.identity;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.baserdb.api.identity.AuthAssertions.sessionIdOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session check of every platform token (issue 8, L6): a session answers for its own user
 * only, even right after a cached "active" answer for that session.
 */
@ApiTest
class SessionGuardHttpTest {

    @LocalServerPort
    int port;
    @Autowired
    AccessTokens tokens;
    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    @Test
    void givenAnActiveSessionJustChecked_whenATokenNamesAnotherUserWithThatSession_then401() {
        Accounts.Account alice = accounts.anAccount();
        Accounts.Account bob = accounts.anAccount();
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/auth/me").status()).isEqualTo(200);

        String bobWithAlicesSession = tokens.issue(bob.userId(), sessionIdOf(alice.accessToken()));
        Http.Response me = http.bearer(bobWithAlicesSession).get("/api/v1/auth/me");

        assertThat(me.status()).as(me.toString()).isEqualTo(401);
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/auth/me").status()).isEqualTo(200);
    }
}
