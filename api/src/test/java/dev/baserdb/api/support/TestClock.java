package dev.baserdb.api.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The application's {@link Clock} in every {@code @ApiTest} context: it follows the system clock
 * until a test freezes it, then stands still except when the test moves it. One mutable clock in
 * the one shared context, rather than a context per fixed clock, keeps the suite on a single
 * Spring context; a test that freezes it must {@link #release()} it (in {@code @AfterEach}).
 * Components read time from this bean (rate limits, token expiry, lockouts); aggregates read
 * Axon's event clock, which this does not move.
 */
public final class TestClock extends Clock {

    private volatile Instant frozen;

    /** Stops the clock at the current whole second and returns that instant. */
    public Instant freeze() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        frozen = now;
        return now;
    }

    /** Moves a frozen clock forward. */
    public Instant advance(Duration duration) {
        Instant current = frozen;
        if (current == null) {
            throw new IllegalStateException("Freeze the clock before moving it");
        }
        frozen = current.plus(duration);
        return frozen;
    }

    /** Lets the clock follow the system clock again. */
    public void release() {
        frozen = null;
    }

    @Override
    public Instant instant() {
        Instant current = frozen;
        return current != null ? current : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        TestClock self = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return self.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }
        };
    }

    /** Registers the clock in place of the application's (imported by {@link ApiTest}). */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock();
        }
    }
}
