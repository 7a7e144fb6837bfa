package dev.baserdb.query.identity;

import java.time.Instant;
import java.util.List;

/** A personal access token as listed: never the token itself. */
public record ApiTokenView(String id, String userId, String name, List<String> scopes, String organizationId,
                           Instant expiresAt, Instant createdAt, Instant revokedAt) {

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
