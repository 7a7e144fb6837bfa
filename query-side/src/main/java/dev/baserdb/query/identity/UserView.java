package dev.baserdb.query.identity;

import java.time.Instant;
import java.util.List;

/** A user as the users read model holds it. {@code passwordHash} and the TOTP secrets never leave the server. */
public record UserView(String id,
                       String email,
                       String passwordHash,
                       String displayName,
                       String locale,
                       List<String> platformRoles,
                       String status,
                       int failedLogins,
                       Instant lockedUntil,
                       Instant createdAt,
                       Instant updatedAt,
                       long version,
                       Instant emailVerifiedAt,
                       boolean totpEnabled,
                       /* sealed under the user's data key */
                       String totpSecret,
                       String totpPendingSecret) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    public boolean isPlatformAdmin() {
        return platformRoles.contains("platform_admin");
    }
}
