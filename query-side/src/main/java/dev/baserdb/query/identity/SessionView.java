package dev.baserdb.query.identity;

import java.time.Instant;

/** A login session as the sessions read model holds it. */
public record SessionView(String id,
                          String userId,
                          String userAgent,
                          String ip,
                          Instant createdAt,
                          Instant lastUsedAt,
                          Instant expiresAt,
                          Instant revokedAt,
                          String revokeReason) {

    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
