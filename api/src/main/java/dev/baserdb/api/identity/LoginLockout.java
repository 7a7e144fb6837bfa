package dev.baserdb.api.identity;

import dev.baserdb.api.settings.LockoutRules;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.when;
import static dev.baserdb.kernel.readmodel.schema.Tables.LOGIN_FAILURES;

/**
 * The lockout of sign-ins that have no aggregate of their own (the data login, API.md §7), with the
 * platform login's rule (§3) and the platform settings' values (§14): after {@code lockout_max_attempts} failures in a row the subject
 * answers 423 for {@code lockout_duration}. A subject is a string within a realm (e.g. a users
 * table and a row). Each decision is one SQL statement on the subject's row of
 * {@code login_failures}, so parallel guesses are counted one after the other and none slips past
 * the limit. Time comes from the {@link Clock}.
 */
@Component
public class LoginLockout {

    /** What a failure led to, as the platform login's User aggregate answers it. */
    public enum Outcome { RECORDED, LOCKED_NOW, ALREADY_LOCKED }


    private final DSLContext db;
    private final LockoutRules settings;
    private final Clock clock;

    LoginLockout(DSLContext db, LockoutRules settings, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
    }

    /** Throws ACCOUNT_LOCKED (with Retry-After) while the subject is locked. */
    public void requireOpen(String realm, String subject) {
        OffsetDateTime now = now();
        OffsetDateTime until = db.select(LOGIN_FAILURES.LOCKED_UNTIL).from(LOGIN_FAILURES)
                .where(LOGIN_FAILURES.REALM.eq(realm)).and(LOGIN_FAILURES.SUBJECT.eq(subject))
                .and(LOGIN_FAILURES.LOCKED_UNTIL.gt(now))
                .fetchOne(LOGIN_FAILURES.LOCKED_UNTIL);
        if (until != null) {
            throw locked(until, now);
        }
    }

    /**
     * Counts one failure and decides, in the same statement, whether it locks the subject. While the
     * subject is locked nothing is counted ({@link Outcome#ALREADY_LOCKED}); after a lock has run out,
     * counting starts again from one.
     */
    public Outcome recordFailure(String realm, String subject) {
        OffsetDateTime now = now();
        OffsetDateTime until = now.plus(settings.lockoutDuration());
        int max = settings.lockoutMaxAttempts();
        Field<Integer> next = when(LOGIN_FAILURES.LOCKED_UNTIL.isNotNull(), inline(1)).otherwise(LOGIN_FAILURES.FAILURES.plus(1));
        Record counted = db.insertInto(LOGIN_FAILURES)
                .columns(LOGIN_FAILURES.REALM, LOGIN_FAILURES.SUBJECT, LOGIN_FAILURES.FAILURES,
                        LOGIN_FAILURES.LOCKED_UNTIL, LOGIN_FAILURES.UPDATED_AT)
                .values(realm, subject, 1, 1 >= max ? until : null, now)
                .onConflict(LOGIN_FAILURES.REALM, LOGIN_FAILURES.SUBJECT)
                .doUpdate()
                .set(LOGIN_FAILURES.FAILURES, next)
                .set(LOGIN_FAILURES.LOCKED_UNTIL, when(next.ge(max), until).otherwise((OffsetDateTime) null))
                .set(LOGIN_FAILURES.UPDATED_AT, now)
                // A row still locked is left alone, and then nothing is returned.
                .where(LOGIN_FAILURES.LOCKED_UNTIL.isNull().or(LOGIN_FAILURES.LOCKED_UNTIL.le(now)))
                .returningResult(LOGIN_FAILURES.LOCKED_UNTIL)
                .fetchOne();
        if (counted == null) {
            return Outcome.ALREADY_LOCKED;
        }
        return counted.get(0) == null ? Outcome.RECORDED : Outcome.LOCKED_NOW;
    }

    /**
     * A right password: ends the run of failures, or throws ACCOUNT_LOCKED if the subject is locked
     * (a parallel guess may have locked it after {@link #requireOpen}). Locking the row first makes
     * a parallel failure wait for this decision.
     */
    public void recordSuccess(String realm, String subject) {
        db.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            OffsetDateTime now = now();
            OffsetDateTime until = tx.select(LOGIN_FAILURES.LOCKED_UNTIL).from(LOGIN_FAILURES)
                    .where(LOGIN_FAILURES.REALM.eq(realm)).and(LOGIN_FAILURES.SUBJECT.eq(subject))
                    .forUpdate()
                    .fetchOne(LOGIN_FAILURES.LOCKED_UNTIL);
            if (until != null && until.isAfter(now)) {
                throw locked(until, now);
            }
            tx.deleteFrom(LOGIN_FAILURES).where(LOGIN_FAILURES.REALM.eq(realm)).and(LOGIN_FAILURES.SUBJECT.eq(subject)).execute();
        });
    }

    /** The error of a locked subject: 423 with the time left as Retry-After. */
    public BaserDbException lockedError(String realm, String subject) {
        OffsetDateTime now = now();
        OffsetDateTime until = db.select(LOGIN_FAILURES.LOCKED_UNTIL).from(LOGIN_FAILURES)
                .where(LOGIN_FAILURES.REALM.eq(realm)).and(LOGIN_FAILURES.SUBJECT.eq(subject))
                .fetchOne(LOGIN_FAILURES.LOCKED_UNTIL);
        return locked(until == null || !until.isAfter(now) ? now.plusSeconds(1) : until, now);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static BaserDbException locked(Instant until, Instant now) {
        return new BaserDbException(ErrorCode.ACCOUNT_LOCKED, "Too many failed logins; try again later")
                .retryAfter(Duration.between(now, until));
    }

    private static BaserDbException locked(OffsetDateTime until, OffsetDateTime now) {
        return locked(until.toInstant(), now.toInstant());
    }
}
