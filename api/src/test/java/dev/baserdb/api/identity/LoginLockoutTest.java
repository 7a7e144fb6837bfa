package dev.baserdb.api.identity;

import dev.baserdb.api.settings.LockoutRules;

import dev.baserdb.api.support.ApiTest;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LoginLockout} against this run's PostgreSQL with a clock the test moves: the counting, the
 * lock, its end, and the refusal of a right password while locked (API.md §3 and §7).
 */
@ApiTest
class LoginLockoutTest {

    private static final int MAX = 3;
    private static final Duration LOCK = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Autowired
    DSLContext db;

    MovableClock clock;
    LoginLockout lockout;
    String realm;

    @BeforeEach
    void setUp() {
        clock = new MovableClock(T0);
        lockout = new LoginLockout(db, LockoutRules.of(MAX, LOCK), clock);
        realm = "test:" + UUID.randomUUID();
    }

    @Test
    void givenMaxMinusOneFailures_whenOneMoreFails_thenItLocksAndTheNextIsAlreadyLocked() {
        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.RECORDED);
        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.RECORDED);

        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.LOCKED_NOW);
        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.ALREADY_LOCKED);
        assertThat(lockout.recordFailure(realm, "row:2")).as("another subject").isEqualTo(LoginLockout.Outcome.RECORDED);
    }

    @Test
    void givenALock_whenCheckedJustBeforeItEnds_thenLockedWithTheTimeLeftAndOpenWhenItEnds() {
        lockUp("row:1");
        clock.set(T0.plus(LOCK).minusSeconds(30));

        assertThatThrownBy(() -> lockout.requireOpen(realm, "row:1"))
                .isInstanceOfSatisfying(BaserDbException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_LOCKED);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                });
        assertThatThrownBy(() -> lockout.recordSuccess(realm, "row:1"))
                .isInstanceOfSatisfying(BaserDbException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_LOCKED));

        clock.set(T0.plus(LOCK));
        lockout.requireOpen(realm, "row:1");
        lockout.recordSuccess(realm, "row:1");
    }

    @Test
    void givenAnExpiredLock_whenAFailureFollows_thenCountingStartsAgainFromOne() {
        lockUp("row:1");
        clock.set(T0.plus(LOCK));

        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.RECORDED);
        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.RECORDED);
        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.LOCKED_NOW);
    }

    @Test
    void givenFailuresEndedByASuccess_whenMoreFail_thenTheyCountFromOne() {
        lockout.recordFailure(realm, "row:1");
        lockout.recordFailure(realm, "row:1");
        lockout.recordSuccess(realm, "row:1");

        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.RECORDED);
        assertThat(lockout.recordFailure(realm, "row:1")).isEqualTo(LoginLockout.Outcome.RECORDED);
    }

    private void lockUp(String subject) {
        for (int i = 0; i < MAX; i++) {
            lockout.recordFailure(realm, subject);
        }
    }

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
