package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.SessionId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Commands of the {@code Session} aggregate. Refresh tokens travel only as SHA-256 hashes
 * (hex): the opaque token itself is shown once to the client and never stored.
 */
public sealed interface SessionCommands {

    SessionId sessionId();

    record StartSession(@TargetAggregateIdentifier SessionId sessionId,
                        UserId userId,
                        String refreshTokenHash,
                        Instant expiresAt,
                        String userAgent,
                        String ip) implements SessionCommands {
    }

    /**
     * Presents a refresh token. If it is the current one, it is rotated to {@code newTokenHash};
     * if it is one rotated earlier, the session is revoked. Returns a {@link RefreshOutcome}.
     */
    record RefreshSession(@TargetAggregateIdentifier SessionId sessionId,
                          String presentedTokenHash,
                          String newTokenHash,
                          Instant newExpiresAt) implements SessionCommands {
    }

    record RevokeSession(@TargetAggregateIdentifier SessionId sessionId, String reason) implements SessionCommands {
    }

    /** Removes an expired session from the read models (admin purge); refused while it is still valid. */
    record PurgeSession(@TargetAggregateIdentifier SessionId sessionId, Instant at) implements SessionCommands {
    }

    /** The result of {@link RefreshSession}: the handler never throws after deciding, so its events commit. */
    enum RefreshOutcome {
        ROTATED,
        /** A rotated token came back: the session is now revoked. */
        REUSE_DETECTED,
        /** The session was already revoked or has expired. */
        INACTIVE
    }
}
