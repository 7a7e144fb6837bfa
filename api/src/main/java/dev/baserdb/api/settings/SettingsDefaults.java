package dev.baserdb.api.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The configuration values ({@code baserdb.auth.*}, i.e. {@code BASERDB_REGISTRATION_OPEN},
 * {@code BASERDB_LOCKOUT_MAX_ATTEMPTS}, {@code BASERDB_LOCKOUT_DURATION}) that are the first
 * platform settings. Read here with the same defaults as the identity feature's properties, so
 * settings need not depend on identity.
 */
@ConfigurationProperties("baserdb.auth")
record SettingsDefaults(
        @DefaultValue("true") boolean registrationOpen,
        @DefaultValue("10") int lockoutMaxAttempts,
        @DefaultValue("15m") Duration lockoutDuration) {
}
