package dev.baserdb.api.settings;

import java.time.Duration;

/**
 * How many failed sign-ins in a row lock a subject, and for how long (API.md §3): the platform
 * settings' {@code lockout_max_attempts} and {@code lockout_duration_ms} as they are now.
 */
public interface LockoutRules {

    int lockoutMaxAttempts();

    Duration lockoutDuration();

    /** Fixed rules (tests, tools). */
    static LockoutRules of(int maxAttempts, Duration duration) {
        return new LockoutRules() {
            @Override
            public int lockoutMaxAttempts() {
                return maxAttempts;
            }

            @Override
            public Duration lockoutDuration() {
                return duration;
            }
        };
    }
}
