package dev.baserdb.command.identity;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.UserCommands.CompleteMfaChallenge;
import dev.baserdb.kernel.identity.UserCommands.DisableTotp;
import dev.baserdb.kernel.identity.UserCommands.EnableTotp;
import dev.baserdb.kernel.identity.UserCommands.RequestEmailVerification;
import dev.baserdb.kernel.identity.UserCommands.RequestPasswordReset;
import dev.baserdb.kernel.identity.UserCommands.ResetPassword;
import dev.baserdb.kernel.identity.UserCommands.SecondFactor;
import dev.baserdb.kernel.identity.UserCommands.SetPlatformRoles;
import dev.baserdb.kernel.identity.UserCommands.StartImpersonation;
import dev.baserdb.kernel.identity.UserCommands.StartMfaChallenge;
import dev.baserdb.kernel.identity.UserCommands.StartTotpSetup;
import dev.baserdb.kernel.identity.UserCommands.UseMagicLink;
import dev.baserdb.kernel.identity.UserCommands.UseSecondFactor;
import dev.baserdb.kernel.identity.UserCommands.VerifyEmail;
import dev.baserdb.kernel.identity.UserEvents.UserEmailVerificationRequested;
import dev.baserdb.kernel.identity.UserEvents.UserEmailVerified;
import dev.baserdb.kernel.identity.UserEvents.UserErased;
import dev.baserdb.kernel.identity.UserEvents.UserImpersonationStarted;
import dev.baserdb.kernel.identity.UserEvents.UserMagicLinkRequested;
import dev.baserdb.kernel.identity.UserEvents.UserMagicLinkUsed;
import dev.baserdb.kernel.identity.UserEvents.UserMfaChallengeCompleted;
import dev.baserdb.kernel.identity.UserEvents.UserMfaChallengeStarted;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordReset;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordResetRequested;
import dev.baserdb.kernel.identity.UserEvents.UserPlatformRolesChanged;
import dev.baserdb.kernel.identity.UserEvents.UserRegistered;
import dev.baserdb.kernel.identity.UserEvents.UserSecondFactorUsed;
import dev.baserdb.kernel.identity.UserEvents.UserTotpDisabled;
import dev.baserdb.kernel.identity.UserEvents.UserTotpEnabled;
import dev.baserdb.kernel.identity.UserEvents.UserTotpSetupStarted;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** The User aggregate's account security (issue 13): single-use tokens, TOTP, recovery codes, roles, impersonation. */
class UserAccountSecurityTest {

    private static final UserId USER = UserId.of("usr_sec");
    private static final UserId ADMIN = UserId.of("usr_admin");
    private static final String HASH = "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$aGFzaA";
    private static final String NEW_HASH = "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$bmV3";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant EXPIRY = T0.plus(Duration.ofHours(1));
    private static final List<String> RECOVERY = IntStream.range(0, 10).mapToObj(i -> "rc-hash-" + i).toList();

    private AggregateTestFixture<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
    }

    private static UserRegistered registered() {
        return new UserRegistered(USER, "pd1:usr_sec:x", HASH, null, "en", List.of());
    }

    private static UserTotpEnabled totpOn(long step) {
        return new UserTotpEnabled(USER, step, RECOVERY);
    }

    private static void expectCode(org.axonframework.test.aggregate.ResultValidator<User> result, ErrorCode code) {
        result.expectException(new org.hamcrest.TypeSafeMatcher<Throwable>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof BaserDbException e && e.code() == code;
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("BaserDbException with code " + code);
            }
        });
    }

    // --- password reset ---

    @Test
    void givenAnOpenResetToken_whenResettingBeforeExpiry_thenPasswordReset() {
        fixture.given(registered(), new UserPasswordResetRequested(USER, "tok", EXPIRY))
                .when(new ResetPassword(USER, "tok", NEW_HASH, T0.plusSeconds(60)))
                .expectEvents(new UserPasswordReset(USER, "tok", NEW_HASH));
    }

    @Test
    void givenAUsedResetToken_whenUsedAgain_thenBadRequest() {
        expectCode(fixture.given(registered(), new UserPasswordResetRequested(USER, "tok", EXPIRY),
                        new UserPasswordReset(USER, "tok", NEW_HASH))
                .when(new ResetPassword(USER, "tok", HASH, T0.plusSeconds(120))), ErrorCode.BAD_REQUEST);
    }

    @Test
    void givenAnExpiredResetToken_whenUsed_thenBadRequest() {
        expectCode(fixture.given(registered(), new UserPasswordResetRequested(USER, "tok", EXPIRY))
                .when(new ResetPassword(USER, "tok", NEW_HASH, EXPIRY)), ErrorCode.BAD_REQUEST);
    }

    @Test
    void givenAnotherToken_whenResetting_thenBadRequest() {
        expectCode(fixture.given(registered(), new UserPasswordResetRequested(USER, "tok", EXPIRY))
                .when(new ResetPassword(USER, "forged", NEW_HASH, T0)), ErrorCode.BAD_REQUEST);
    }

    @Test
    void givenALockedAccount_whenReset_thenTheNextSuccessfulLoginIsAccepted() {
        fixture.given(registered(), new dev.baserdb.kernel.identity.UserEvents.UserLockedOut(USER, 10,
                                Instant.now().plus(Duration.ofHours(1))),
                        new UserPasswordResetRequested(USER, "tok", EXPIRY),
                        new UserPasswordReset(USER, "tok", NEW_HASH))
                .when(new dev.baserdb.kernel.identity.UserCommands.RecordSuccessfulLogin(USER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void givenAnErasedUser_whenResetRequested_thenNotFound() {
        expectCode(fixture.given(registered(), new UserErased(USER))
                .when(new RequestPasswordReset(USER, "tok", EXPIRY)), ErrorCode.NOT_FOUND);
    }

    // --- email verification, magic links ---

    @Test
    void givenAVerificationToken_whenVerifying_thenVerifiedOnceAndNotAgain() {
        fixture.given(registered(), new UserEmailVerificationRequested(USER, "v", EXPIRY))
                .when(new VerifyEmail(USER, "v", T0))
                .expectEvents(new UserEmailVerified(USER, "v"));
        expectCode(fixture.given(registered(), new UserEmailVerificationRequested(USER, "v", EXPIRY),
                        new UserEmailVerified(USER, "v"))
                .when(new VerifyEmail(USER, "v", T0)), ErrorCode.BAD_REQUEST);
    }

    @Test
    void givenAVerifiedEmail_whenAskingForAnotherLink_thenConflict() {
        expectCode(fixture.given(registered(), new UserEmailVerificationRequested(USER, "v", EXPIRY),
                        new UserEmailVerified(USER, "v"))
                .when(new RequestEmailVerification(USER, "v2", EXPIRY)), ErrorCode.CONFLICT);
    }

    @Test
    void givenAMagicLink_whenUsedTwice_thenTheSecondIsBadRequest() {
        fixture.given(registered(), new UserMagicLinkRequested(USER, "m", EXPIRY))
                .when(new UseMagicLink(USER, "m", T0))
                .expectEvents(new UserMagicLinkUsed(USER, "m"));
        expectCode(fixture.given(registered(), new UserMagicLinkRequested(USER, "m", EXPIRY),
                        new UserMagicLinkUsed(USER, "m"))
                .when(new UseMagicLink(USER, "m", T0)), ErrorCode.BAD_REQUEST);
    }

    // --- TOTP ---

    @Test
    void givenAPendingSecret_whenEnabling_thenTotpEnabledWithTenRecoveryCodes() {
        fixture.given(registered(), new UserTotpSetupStarted(USER, "pd1:usr_sec:secret"))
                .when(new EnableTotp(USER, 100, RECOVERY))
                .expectEvents(totpOn(100));
    }

    @Test
    void givenNoSetup_whenEnabling_thenConflict() {
        expectCode(fixture.given(registered()).when(new EnableTotp(USER, 100, RECOVERY)), ErrorCode.CONFLICT);
    }

    @Test
    void givenTotpOn_whenSettingUpAgain_thenConflict() {
        expectCode(fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100))
                .when(new StartTotpSetup(USER, "s2")), ErrorCode.CONFLICT);
    }

    @Test
    void givenACodeOfAStepUsedAtEnable_whenUsedAgain_thenRefused() {
        expectCode(fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100))
                .when(new UseSecondFactor(USER, SecondFactor.totp(100))), ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void givenANewerStep_whenUsed_thenAccepted_andAnOlderOneAfterIsRefused() {
        fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100))
                .when(new UseSecondFactor(USER, SecondFactor.totp(101)))
                .expectEvents(new UserSecondFactorUsed(USER, 101L, null));
        expectCode(fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100),
                        new UserSecondFactorUsed(USER, 102L, null))
                .when(new UseSecondFactor(USER, SecondFactor.totp(101))), ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void givenARecoveryCode_whenUsedTwice_thenTheSecondIsRefused() {
        fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100))
                .when(new UseSecondFactor(USER, SecondFactor.recoveryCode("rc-hash-3")))
                .expectEvents(new UserSecondFactorUsed(USER, null, "rc-hash-3"));
        expectCode(fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100),
                        new UserSecondFactorUsed(USER, null, "rc-hash-3"))
                .when(new UseSecondFactor(USER, SecondFactor.recoveryCode("rc-hash-3"))), ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void givenAChallenge_whenCompletedWithANewStep_thenCompleted_andTheChallengeIsSingleUse() {
        fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100),
                        new UserMfaChallengeStarted(USER, "ch", EXPIRY))
                .when(new CompleteMfaChallenge(USER, "ch", SecondFactor.totp(101), T0))
                .expectEvents(new UserMfaChallengeCompleted(USER, "ch", 101L, null));
        expectCode(fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100),
                        new UserMfaChallengeStarted(USER, "ch", EXPIRY),
                        new UserMfaChallengeCompleted(USER, "ch", 101L, null))
                .when(new CompleteMfaChallenge(USER, "ch", SecondFactor.totp(102), T0)), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void givenAnExpiredChallenge_whenCompleted_thenUnauthorized() {
        expectCode(fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100),
                        new UserMfaChallengeStarted(USER, "ch", EXPIRY))
                .when(new CompleteMfaChallenge(USER, "ch", SecondFactor.totp(101), EXPIRY)), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void givenTotpOff_whenAChallengeIsStarted_thenConflict() {
        expectCode(fixture.given(registered()).when(new StartMfaChallenge(USER, "ch", EXPIRY)), ErrorCode.CONFLICT);
    }

    @Test
    void givenTotpOn_whenDisabledWithAFreshCode_thenDisabled_andWithAUsedStepRefused() {
        fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100))
                .when(new DisableTotp(USER, SecondFactor.totp(101)))
                .expectEvents(new UserTotpDisabled(USER));
        expectCode(fixture.given(registered(), new UserTotpSetupStarted(USER, "s"), totpOn(100))
                .when(new DisableTotp(USER, SecondFactor.totp(99))), ErrorCode.INVALID_CREDENTIALS);
    }

    // --- roles, impersonation ---

    @Test
    void givenAUser_whenMadePlatformAdmin_thenRolesChanged_andTheSameRolesAgainChangeNothing() {
        fixture.given(registered())
                .when(new SetPlatformRoles(USER, Set.of("platform_admin")))
                .expectEvents(new UserPlatformRolesChanged(USER, List.of("platform_admin")));
        fixture.given(registered(), new UserPlatformRolesChanged(USER, List.of("platform_admin")))
                .when(new SetPlatformRoles(USER, Set.of("platform_admin")))
                .expectNoEvents();
    }

    @Test
    void givenAUser_whenAnAdminImpersonates_thenImpersonationStarted() {
        fixture.given(registered())
                .when(new StartImpersonation(USER, ADMIN, "ses_1", EXPIRY))
                .expectEvents(new UserImpersonationStarted(USER, ADMIN, "ses_1", EXPIRY));
    }

    @Test
    void givenAPlatformAdmin_whenImpersonated_thenForbidden() {
        expectCode(fixture.given(registered(), new UserPlatformRolesChanged(USER, List.of("platform_admin")))
                .when(new StartImpersonation(USER, ADMIN, "ses_1", EXPIRY)), ErrorCode.FORBIDDEN);
    }
}
