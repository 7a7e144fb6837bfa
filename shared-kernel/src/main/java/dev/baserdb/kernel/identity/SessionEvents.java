package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.SessionId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Events of the {@code Session} aggregate. Refresh tokens appear only as SHA-256 hashes; user agent
 * and IP address are sealed personal data of the session's user.
 */
public sealed interface SessionEvents {

    SessionId sessionId();

    UserId userId();

    @Revision("1")
    record SessionStarted(SessionId sessionId,
                          UserId userId,
                          String refreshTokenHash,
                          Instant expiresAt,
                          String userAgent,
                          String ip) implements SessionEvents {
    }

    @Revision("1")
    record SessionRefreshed(SessionId sessionId,
                            UserId userId,
                            String previousTokenHash,
                            String refreshTokenHash,
                            Instant expiresAt) implements SessionEvents {
    }

    /** A refresh token that had already been rotated was presented again: a sign of theft. */
    @Revision("1")
    record SessionRefreshReuseDetected(SessionId sessionId, UserId userId, String presentedTokenHash)
            implements SessionEvents {
    }

    @Revision("1")
    record SessionRevoked(SessionId sessionId, UserId userId, String reason) implements SessionEvents {
    }

    /** An expired session was purged by an admin: it leaves the sessions read model (its events stay). */
    @Revision("1")
    record SessionPurged(SessionId sessionId, UserId userId) implements SessionEvents {
    }
}
