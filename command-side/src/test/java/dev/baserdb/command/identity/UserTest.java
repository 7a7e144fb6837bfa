package dev.baserdb.command.identity;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.identity.UserCommands.ChangePassword;
import dev.baserdb.kernel.identity.UserCommands.LoginFailureOutcome;
import dev.baserdb.kernel.identity.UserCommands.LoginFailureOutcome.Result;
import dev.baserdb.kernel.identity.UserCommands.RecordFailedLogin;
import dev.baserdb.kernel.identity.UserCommands.RecordSuccessfulLogin;
import dev.baserdb.kernel.identity.UserCommands.RegisterUser;
import dev.baserdb.kernel.identity.UserEvents.UserFailedLoginsReset;
import dev.baserdb.kernel.identity.UserEvents.UserLockedOut;
import dev.baserdb.kernel.identity.UserEvents.UserLoginFailed;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordChanged;
import dev.baserdb.kernel.identity.UserEvents.UserRegistered;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

class UserTest {

    private static final UserId USER = UserId.of("usr_test");
    private static final String EMAIL = "ada@example.com";
    private static final String HASH = "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$aGFzaA";
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration LOCK = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private AggregateTestFixture<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
    }

    private static UserRegistered registered() {
        return new UserRegistered(USER, EMAIL, HASH, "Ada", "en", List.of());
    }

    private static RecordFailedLogin failedLogin() {
        return new RecordFailedLogin(USER, MAX_ATTEMPTS, LOCK);
    }

    // --- registration ---

    @Test
    void givenNothing_whenRegisterUser_thenUserRegistered() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(USER, EMAIL, HASH, "Ada", "en", Set.of("platform_admin")))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new UserRegistered(USER, EMAIL, HASH, "Ada", "en", List.of("platform_admin")));
    }

    @Test
    void givenNothing_whenRegisterUserWithBlankEmail_thenValidationFailsOnEmailAndNothingIsRecorded() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(USER, " ", HASH, "Ada", "en", Set.of()))
                .expectNoEvents()
                .expectException(validationFailureOn("email"));
    }

    @Test
    void givenNothing_whenRegisterUserWithoutPasswordHash_thenValidationFailsOnPasswordAndNothingIsRecorded() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(USER, EMAIL, null, "Ada", "en", Set.of()))
                .expectNoEvents()
                .expectException(validationFailureOn("password"));
    }

    // --- password change ---

    @Test
    void givenRegisteredUser_whenChangePassword_thenUserPasswordChanged() {
        fixture.given(registered())
                .when(new ChangePassword(USER, "$argon2id$new"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new UserPasswordChanged(USER, "$argon2id$new"));
    }

    @Test
    void givenRegisteredUser_whenChangePasswordToBlankHash_thenRefusedAndNothingIsRecorded() {
        fixture.given(registered())
                .when(new ChangePassword(USER, ""))
                .expectNoEvents()
                .expectException(validationFailureOn("password"));
    }

    // --- failed logins ---

    @Test
    void givenRegisteredUser_whenLoginFails_thenFirstFailureIsCounted() {
        fixture.given(registered())
                .when(failedLogin())
                .expectEvents(new UserLoginFailed(USER, 1))
                .expectResultMessagePayload(new LoginFailureOutcome(Result.RECORDED, 1, null));
    }

    @Test
    void givenOneFailedLogin_whenLoginFailsAgain_thenFailuresCountUpToTwo() {
        fixture.given(registered(), new UserLoginFailed(USER, 1))
                .when(failedLogin())
                .expectEvents(new UserLoginFailed(USER, 2))
                .expectResultMessagePayload(new LoginFailureOutcome(Result.RECORDED, 2, null));
    }

    @Test
    void givenMaxAttemptsMinusOneFailures_whenLoginFails_thenUserLockedOutUntilNowPlusLockDuration() {
        Instant until = T0.plus(LOCK);
        fixture.givenCurrentTime(T0)
                .andGiven(registered(), new UserLoginFailed(USER, 1), new UserLoginFailed(USER, 2))
                .when(failedLogin())
                .expectEvents(new UserLockedOut(USER, MAX_ATTEMPTS, until))
                .expectResultMessagePayload(new LoginFailureOutcome(Result.LOCKED_NOW, MAX_ATTEMPTS, until));
    }

    @Test
    void givenLockedOutUser_whenLockHasExpiredAndLoginFails_thenCountingStartsAgainFromOne() {
        fixture.givenCurrentTime(T0)
                .andGiven(registered(), new UserLoginFailed(USER, 1), new UserLoginFailed(USER, 2),
                        new UserLockedOut(USER, MAX_ATTEMPTS, T0.plus(LOCK)))
                .andGivenCurrentTime(T0.plus(LOCK))
                .when(failedLogin())
                .expectEvents(new UserLoginFailed(USER, 1))
                .expectResultMessagePayload(new LoginFailureOutcome(Result.RECORDED, 1, null));
    }

    @Test
    void givenFailuresEndedByAReset_whenLoginFails_thenCountingStartsAgainFromOne() {
        fixture.given(registered(), new UserLoginFailed(USER, 1), new UserLoginFailed(USER, 2),
                        new UserFailedLoginsReset(USER))
                .when(failedLogin())
                .expectEvents(new UserLoginFailed(USER, 1));
    }

    @Test
    void givenLockedOutUser_whenLoginFailsBeforeTheLockEnds_thenNothingIsCountedAndTheAnswerIsAlreadyLocked() {
        Instant until = T0.plus(LOCK);
        fixture.givenCurrentTime(T0)
                .andGiven(registered(), new UserLoginFailed(USER, 1), new UserLoginFailed(USER, 2),
                        new UserLockedOut(USER, MAX_ATTEMPTS, until))
                .andGivenCurrentTime(until.minusMillis(1))
                .when(failedLogin())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new LoginFailureOutcome(Result.ALREADY_LOCKED, MAX_ATTEMPTS, until));
    }

    // --- successful login ---

    @Test
    void givenLockedOutUser_whenLoginSucceedsBeforeTheLockEnds_thenRefusedAsLockedWithTheTimeLeft() {
        Instant until = T0.plus(LOCK);
        fixture.givenCurrentTime(T0)
                .andGiven(registered(), new UserLockedOut(USER, MAX_ATTEMPTS, until))
                .andGivenCurrentTime(T0.plus(Duration.ofMinutes(5)))
                .when(new RecordSuccessfulLogin(USER))
                .expectNoEvents()
                .expectException(new TypeSafeMatcher<Throwable>() {
                    @Override
                    protected boolean matchesSafely(Throwable item) {
                        return item instanceof BaserDbException e && e.code() == ErrorCode.ACCOUNT_LOCKED
                                && Duration.ofMinutes(10).equals(e.retryAfter());
                    }

                    @Override
                    public void describeTo(Description description) {
                        description.appendText("ACCOUNT_LOCKED with Retry-After of 10 minutes");
                    }
                });
    }

    @Test
    void givenNoFailedLogins_whenLoginSucceeds_thenNothingIsRecorded() {
        fixture.given(registered())
                .when(new RecordSuccessfulLogin(USER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void givenFailedLogins_whenLoginSucceeds_thenFailedLoginsReset() {
        fixture.given(registered(), new UserLoginFailed(USER, 1), new UserLoginFailed(USER, 2))
                .when(new RecordSuccessfulLogin(USER))
                .expectEvents(new UserFailedLoginsReset(USER));
    }

    @Test
    void givenExpiredLockout_whenLoginSucceeds_thenFailedLoginsReset() {
        fixture.givenCurrentTime(T0)
                .andGiven(registered(), new UserLockedOut(USER, MAX_ATTEMPTS, T0.plus(LOCK)))
                .andGivenCurrentTime(T0.plus(LOCK).plusSeconds(1))
                .when(new RecordSuccessfulLogin(USER))
                .expectEvents(new UserFailedLoginsReset(USER));
    }

    @Test
    void givenFailuresAlreadyReset_whenLoginSucceeds_thenNothingIsRecorded() {
        fixture.given(registered(), new UserLoginFailed(USER, 1), new UserFailedLoginsReset(USER))
                .when(new RecordSuccessfulLogin(USER))
                .expectNoEvents();
    }

    /** A {@link BaserDbException} with code VALIDATION_FAILED naming exactly this field. */
    private static Matcher<Throwable> validationFailureOn(String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof BaserDbException e
                        && e.code() == ErrorCode.VALIDATION_FAILED
                        && e.details().keySet().equals(Set.of(field));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("VALIDATION_FAILED on field ").appendValue(field);
            }
        };
    }
}
