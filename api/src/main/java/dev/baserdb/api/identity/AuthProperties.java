package dev.baserdb.api.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/** Platform authentication settings ({@code baserdb.auth.*}). */
@ConfigurationProperties("baserdb.auth")
record AuthProperties(
        @DefaultValue("true") boolean registrationOpen,
        @DefaultValue("10") int lockoutMaxAttempts,
        @DefaultValue("15m") Duration lockoutDuration,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        /* How long a "session still active" answer may be reused before the read model is asked again. */
        @DefaultValue("5s") Duration sessionCheckCache,
        @DefaultValue("baserdb") String audience,
        @DefaultValue("7d") Duration invitationTtl) {
}
