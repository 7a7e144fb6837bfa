package dev.baserdb.api.identity.keycloak;

import java.time.Instant;

/** What a verified realm access token says about its user. */
public record KeycloakIdentity(String subject, String email, boolean emailVerified, String name,
                               String sessionId, Instant expiresAt) {
}
