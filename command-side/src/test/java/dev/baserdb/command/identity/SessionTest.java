package dev.baserdb.command.identity;

import dev.baserdb.kernel.identity.SessionCommands.RefreshOutcome;
import dev.baserdb.kernel.identity.SessionCommands.RefreshSession;
import dev.baserdb.kernel.identity.SessionCommands.RevokeSession;
import dev.baserdb.kernel.identity.SessionCommands.StartSession;
import dev.baserdb.kernel.identity.SessionEvents.SessionRefreshReuseDetected;
import dev.baserdb.kernel.identity.SessionEvents.SessionRefreshed;
import dev.baserdb.kernel.identity.SessionEvents.SessionRevoked;
import dev.baserdb.kernel.identity.SessionEvents.SessionStarted;
import dev.baserdb.kernel.id.SessionId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

class SessionTest {

    private static final SessionId SESSION = SessionId.of("ses_test");
    private static final UserId USER = UserId.of("usr_test");
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration TTL = Duration.ofDays(30);
    private static final String TOKEN_1 = "hash-1";
    private static final String TOKEN_2 = "hash-2";
    private static final String TOKEN_3 = "hash-3";

    private AggregateTestFixture<Session> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Session.class);
    }

    private static SessionStarted started() {
        return new SessionStarted(SESSION, USER, TOKEN_1, T0.plus(TTL), "curl/8", "127.0.0.1");
    }

    private static SessionRefreshed rotated(String from, String to) {
        return new SessionRefreshed(SESSION, USER, from, to, T0.plus(TTL));
    }

    private static RefreshSession present(String token, String next) {
        return new RefreshSession(SESSION, token, next, T0.plus(TTL));
    }

    @Test
    void givenNothing_whenStartSession_thenSessionStarted() {
        fixture.givenNoPriorActivity()
                .when(new StartSession(SESSION, USER, TOKEN_1, T0.plus(TTL), "curl/8", "127.0.0.1"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(started());
    }

    @Test
    void givenStartedSession_whenRefreshWithCurrentToken_thenTokenIsRotated() {
        fixture.givenCurrentTime(T0)
                .andGiven(started())
                .when(present(TOKEN_1, TOKEN_2))
                .expectEvents(rotated(TOKEN_1, TOKEN_2))
                .expectResultMessagePayload(RefreshOutcome.ROTATED);
    }

    @Test
    void givenRotatedSession_whenRefreshWithTheNewToken_thenItRotatesAgain() {
        fixture.givenCurrentTime(T0)
                .andGiven(started(), rotated(TOKEN_1, TOKEN_2))
                .when(present(TOKEN_2, TOKEN_3))
                .expectEvents(rotated(TOKEN_2, TOKEN_3))
                .expectResultMessagePayload(RefreshOutcome.ROTATED);
    }

    @Test
    void givenRotatedSession_whenRefreshWithTheRotatedToken_thenReuseIsDetectedAndSessionRevokedWithoutException() {
        fixture.givenCurrentTime(T0)
                .andGiven(started(), rotated(TOKEN_1, TOKEN_2))
                .when(present(TOKEN_1, TOKEN_3))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new SessionRefreshReuseDetected(SESSION, USER, TOKEN_1),
                        new SessionRevoked(SESSION, USER, Session.REASON_REFRESH_REUSE))
                .expectResultMessagePayload(RefreshOutcome.REUSE_DETECTED);
    }

    @Test
    void givenTwiceRotatedSession_whenRefreshWithTheFirstToken_thenReuseIsDetected() {
        fixture.givenCurrentTime(T0)
                .andGiven(started(), rotated(TOKEN_1, TOKEN_2), rotated(TOKEN_2, TOKEN_3))
                .when(present(TOKEN_1, "hash-4"))
                .expectEvents(new SessionRefreshReuseDetected(SESSION, USER, TOKEN_1),
                        new SessionRevoked(SESSION, USER, Session.REASON_REFRESH_REUSE))
                .expectResultMessagePayload(RefreshOutcome.REUSE_DETECTED);
    }

    @Test
    void givenStartedSession_whenRefreshWithUnknownToken_thenInactiveAndNothingIsRecorded() {
        fixture.givenCurrentTime(T0)
                .andGiven(started())
                .when(present("hash-never-issued", TOKEN_2))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(RefreshOutcome.INACTIVE);
    }

    @Test
    void givenRevokedSession_whenRefreshWithCurrentToken_thenInactiveAndNothingIsRecorded() {
        fixture.givenCurrentTime(T0)
                .andGiven(started(), new SessionRevoked(SESSION, USER, "logout"))
                .when(present(TOKEN_1, TOKEN_2))
                .expectNoEvents()
                .expectResultMessagePayload(RefreshOutcome.INACTIVE);
    }

    @Test
    void givenSessionRevokedForReuse_whenRotatedTokenIsPresentedAgain_thenInactiveAndNoSecondRevocation() {
        fixture.givenCurrentTime(T0)
                .andGiven(started(), rotated(TOKEN_1, TOKEN_2),
                        new SessionRefreshReuseDetected(SESSION, USER, TOKEN_1),
                        new SessionRevoked(SESSION, USER, Session.REASON_REFRESH_REUSE))
                .when(present(TOKEN_1, TOKEN_3))
                .expectNoEvents()
                .expectResultMessagePayload(RefreshOutcome.INACTIVE);
    }

    @Test
    void givenExpiredSession_whenRefreshWithCurrentToken_thenInactiveAndNothingIsRecorded() {
        fixture.givenCurrentTime(T0)
                .andGiven(started())
                .andGivenCurrentTime(T0.plus(TTL))
                .when(present(TOKEN_1, TOKEN_2))
                .expectNoEvents()
                .expectResultMessagePayload(RefreshOutcome.INACTIVE);
    }

    @Test
    void givenSessionJustBeforeExpiry_whenRefreshWithCurrentToken_thenTokenIsRotated() {
        fixture.givenCurrentTime(T0)
                .andGiven(started())
                .andGivenCurrentTime(T0.plus(TTL).minusMillis(1))
                .when(present(TOKEN_1, TOKEN_2))
                .expectEvents(rotated(TOKEN_1, TOKEN_2))
                .expectResultMessagePayload(RefreshOutcome.ROTATED);
    }

    @Test
    void givenStartedSession_whenRevoke_thenSessionRevoked() {
        fixture.given(started())
                .when(new RevokeSession(SESSION, "logout"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new SessionRevoked(SESSION, USER, "logout"));
    }

    @Test
    void givenRevokedSession_whenRevokeAgain_thenNothingIsRecorded() {
        fixture.given(started(), new SessionRevoked(SESSION, USER, "logout"))
                .when(new RevokeSession(SESSION, "logout_all"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
