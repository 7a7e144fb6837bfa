package dev.baserdb.api.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.baserdb.query.identity.SessionDirectory;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Answers "is this session still active?" for every authenticated request, so logout stops an
 * access token at once rather than at its expiry. Answers are cached briefly (a few seconds,
 * configurable) and dropped on this node the moment it revokes a session.
 */
@Component
class SessionGuard {

    private final SessionDirectory sessions;
    private final Clock clock;
    /** Answers by session and user: a token naming another user than its session's never meets a cached yes. */
    private final Cache<SessionOfUser, Boolean> active;

    private record SessionOfUser(String sessionId, String userId) {
    }

    SessionGuard(SessionDirectory sessions, AuthProperties properties, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
        this.active = Caffeine.newBuilder()
                .expireAfterWrite(properties.sessionCheckCache())
                .maximumSize(100_000)
                .build();
    }

    boolean isActive(String sessionId, String userId) {
        return active.get(new SessionOfUser(sessionId, userId), key -> sessions.findById(key.sessionId())
                .filter(session -> session.userId().equals(key.userId()))
                .map(session -> session.activeAt(clock.instant()))
                .orElse(false));
    }

    /** Drops the answer for a session (of its own user: the only one that can have been yes). */
    void forget(String sessionId, String userId) {
        active.invalidate(new SessionOfUser(sessionId, userId));
    }
}
