package dev.baserdb.command.identity;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.identity.UserCommands.AcceptInvitation;
import dev.baserdb.kernel.identity.UserCommands.AcceptInvitationThroughIdentityProvider;
import dev.baserdb.kernel.identity.UserCommands.LinkUserToIdentityProvider;
import dev.baserdb.kernel.identity.UserCommands.InviteUser;
import dev.baserdb.kernel.identity.UserCommands.ChangePassword;
import dev.baserdb.kernel.identity.UserCommands.EraseUser;
import dev.baserdb.kernel.identity.UserCommands.LoginFailureOutcome;
import dev.baserdb.kernel.identity.UserCommands.LoginFailureOutcome.Result;
import dev.baserdb.kernel.identity.UserCommands.RecordFailedLogin;
import dev.baserdb.kernel.identity.UserCommands.RecordSuccessfulLogin;
import dev.baserdb.kernel.identity.UserCommands.RegisterUser;
import dev.baserdb.kernel.identity.UserEvents.UserErased;
import dev.baserdb.kernel.identity.UserEvents.UserFailedLoginsReset;
import dev.baserdb.kernel.identity.UserEvents.UserInvitationAccepted;
import dev.baserdb.kernel.identity.UserEvents.UserInvited;
import dev.baserdb.kernel.identity.UserEvents.UserLinkedToIdentityProvider;
import dev.baserdb.kernel.identity.UserEvents.UserLockedOut;
import dev.baserdb.kernel.identity.UserEvents.UserLoginFailed;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordChanged;
import dev.baserdb.kernel.identity.UserEvents.UserRegistered;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import dev.baserdb.kernel.identity.UserCommands.CompleteMfaChallenge;
import dev.baserdb.kernel.identity.UserCommands.DisableTotp;
import dev.baserdb.kernel.identity.UserCommands.EnableTotp;
import dev.baserdb.kernel.identity.UserCommands.RequestEmailVerification;
import dev.baserdb.kernel.identity.UserCommands.RequestMagicLink;
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
import dev.baserdb.kernel.identity.UserEvents.UserImpersonationStarted;
import dev.baserdb.kernel.identity.UserEvents.UserMagicLinkRequested;
import dev.baserdb.kernel.identity.UserEvents.UserMagicLinkUsed;
import dev.baserdb.kernel.identity.UserEvents.UserMfaChallengeCompleted;
import dev.baserdb.kernel.identity.UserEvents.UserMfaChallengeStarted;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordReset;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordResetRequested;
import dev.baserdb.kernel.identity.UserEvents.UserPlatformRolesChanged;
import dev.baserdb.kernel.identity.UserEvents.UserSecondFactorUsed;
import dev.baserdb.kernel.identity.UserEvents.UserTotpDisabled;
import dev.baserdb.kernel.identity.UserEvents.UserTotpEnabled;
import dev.baserdb.kernel.identity.UserEvents.UserTotpSetupStarted;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A platform user: registration or invitation, password and the run of failed logins that leads
 * to a lockout; the single-use tokens of password reset, email verification and magic links
 * (hashes and expiry only); TOTP two-factor with its recovery codes, the last time step used (a
 * code is accepted once) and open sign-in challenges; platform roles and impersonation.
 * Email uniqueness is a set rule, enforced by the unique index of the users read model that
 * commits in the same transaction.
 */
@Aggregate
class User {

    @AggregateIdentifier
    private UserId userId;
    private String passwordHash;
    private int failedLogins;
    private Instant lockedUntil;
    /** Set while an invitation is open: the hash of its single-use token and when it lapses. */
    private String invitationTokenHash;
    private Instant invitationExpiresAt;
    private boolean erased;
    /** The external identity provider's user this account is, when it is linked to one. */
    private String identityProvider;
    private String identitySubject;

    /** Open single-use tokens by purpose: hash → expiry. */
    private final Map<String, Instant> resetTokens = new HashMap<>();
    private final Map<String, Instant> verificationTokens = new HashMap<>();
    private final Map<String, Instant> magicLinkTokens = new HashMap<>();
    private final Map<String, Instant> mfaChallenges = new HashMap<>();
    private boolean emailVerified;
    private String pendingTotpSecret;
    private boolean totpEnabled;
    /** The newest TOTP time step whose code was accepted: no code of it or before is accepted again. */
    private long lastTotpStep = Long.MIN_VALUE;
    private final Set<String> recoveryCodeHashes = new HashSet<>();
    private Set<String> platformRoles = Set.of();

    /** A bad, used or expired single-use token: one answer whatever was wrong (API.md §3). */
    static final String BAD_TOKEN = "The token is invalid, used or expired";

    User() {
        // for Axon
    }

    @CommandHandler
    User(RegisterUser command) {
        requireText(command.email(), "email");
        requireText(command.passwordHash(), "password");
        apply(new UserRegistered(command.userId(), command.email(), command.passwordHash(),
                command.displayName(), command.locale(), command.platformRoles().stream().sorted().toList()));
    }

    @CommandHandler
    User(InviteUser command) {
        requireText(command.email(), "email");
        apply(new UserInvited(command.userId(), command.email(), command.displayName(), command.locale(),
                command.invitationTokenHash(), command.expiresAt()));
    }

    @CommandHandler
    void handle(AcceptInvitation command) {
        if (erased || invitationTokenHash == null
                || !invitationTokenHash.equals(command.invitationTokenHash())
                || !GenericEventMessage.clock.instant().isBefore(invitationExpiresAt)) {
            throw new BaserDbException(ErrorCode.NOT_FOUND, "Invitation not found, used or expired");
        }
        requireText(command.passwordHash(), "password");
        apply(new UserInvitationAccepted(userId, command.passwordHash(), command.displayName()));
    }

    /**
     * Links the account to a provider's user, creating it when the id is new. Linking again to the
     * same user changes nothing; another user of the provider for an already linked account is 409.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(LinkUserToIdentityProvider command) {
        requireText(command.provider(), "provider");
        requireText(command.subject(), "subject");
        if (userId == null) {
            requireText(command.email(), "email");
        } else {
            requireNotErased();
            if (identityProvider != null) {
                if (identityProvider.equals(command.provider()) && identitySubject.equals(command.subject())) {
                    return;
                }
                throw BaserDbException.conflict("This account is already linked to another identity");
            }
        }
        apply(new UserLinkedToIdentityProvider(command.userId(), command.provider(), command.subject(),
                command.email(), command.displayName()));
    }

    /** The linked, invited account signs in through its provider: the invitation is accepted, no password set. */
    @CommandHandler
    void handle(AcceptInvitationThroughIdentityProvider command) {
        if (erased || invitationTokenHash == null || identityProvider == null
                || !identityProvider.equals(command.provider()) || !identitySubject.equals(command.subject())
                || !GenericEventMessage.clock.instant().isBefore(invitationExpiresAt)) {
            throw new BaserDbException(ErrorCode.NOT_FOUND, "Invitation not found, used or expired");
        }
        apply(new UserInvitationAccepted(userId, null, null));
    }

    @CommandHandler
    void handle(ChangePassword command) {
        requireActive();
        requireText(command.passwordHash(), "password");
        apply(new UserPasswordChanged(userId, command.passwordHash()));
    }

    @CommandHandler
    void handle(EraseUser command) {
        requireNotErased();
        apply(new UserErased(userId));
    }

    @CommandHandler
    LoginFailureOutcome handle(RecordFailedLogin command) {
        requireNotErased();
        Instant now = GenericEventMessage.clock.instant();
        if (lockedAt(now)) {
            return new LoginFailureOutcome(Result.ALREADY_LOCKED, failedLogins, lockedUntil);
        }
        int attempts = lockExpired(now) ? 1 : failedLogins + 1;
        if (attempts >= command.maxAttempts()) {
            Instant until = now.plus(command.lockDuration());
            apply(new UserLockedOut(userId, attempts, until));
            return new LoginFailureOutcome(Result.LOCKED_NOW, attempts, until);
        }
        apply(new UserLoginFailed(userId, attempts));
        return new LoginFailureOutcome(Result.RECORDED, attempts, null);
    }

    @CommandHandler
    void handle(RecordSuccessfulLogin command) {
        requireNotErased();
        Instant now = GenericEventMessage.clock.instant();
        if (lockedAt(now)) {
            // The read side may not have seen the lock yet (parallel guesses): the aggregate has the last word.
            throw new BaserDbException(ErrorCode.ACCOUNT_LOCKED, "Too many failed logins; try again later")
                    .retryAfter(Duration.between(now, lockedUntil));
        }
        if (failedLogins > 0 || lockedUntil != null) {
            apply(new UserFailedLoginsReset(userId));
        }
    }

    // --- password reset, email verification, magic links ---

    @CommandHandler
    void handle(RequestPasswordReset command) {
        requireActive();
        apply(new UserPasswordResetRequested(userId, command.tokenHash(), command.expiresAt()));
    }

    @CommandHandler
    void handle(ResetPassword command) {
        requireToken(resetTokens, command.tokenHash(), command.at());
        requireText(command.passwordHash(), "password");
        apply(new UserPasswordReset(userId, command.tokenHash(), command.passwordHash()));
    }

    @CommandHandler
    void handle(RequestEmailVerification command) {
        requireActive();
        if (emailVerified) {
            throw BaserDbException.conflict("The email address is already verified");
        }
        apply(new UserEmailVerificationRequested(userId, command.tokenHash(), command.expiresAt()));
    }

    @CommandHandler
    void handle(VerifyEmail command) {
        requireToken(verificationTokens, command.tokenHash(), command.at());
        apply(new UserEmailVerified(userId, command.tokenHash()));
    }

    @CommandHandler
    void handle(RequestMagicLink command) {
        requireActive();
        apply(new UserMagicLinkRequested(userId, command.tokenHash(), command.expiresAt()));
    }

    @CommandHandler
    void handle(UseMagicLink command) {
        requireToken(magicLinkTokens, command.tokenHash(), command.at());
        apply(new UserMagicLinkUsed(userId, command.tokenHash()));
    }

    // --- TOTP two-factor ---

    @CommandHandler
    void handle(StartTotpSetup command) {
        requireActive();
        if (totpEnabled) {
            throw BaserDbException.conflict("Two-factor authentication is already on; disable it first");
        }
        requireText(command.sealedSecret(), "secret");
        apply(new UserTotpSetupStarted(userId, command.sealedSecret()));
    }

    @CommandHandler
    void handle(EnableTotp command) {
        requireActive();
        if (totpEnabled) {
            throw BaserDbException.conflict("Two-factor authentication is already on");
        }
        if (pendingTotpSecret == null) {
            throw BaserDbException.conflict("Start the setup first (POST /auth/2fa/setup)");
        }
        if (command.timeStep() <= lastTotpStep) {
            throw wrongCode();
        }
        if (command.recoveryCodesHash() == null || command.recoveryCodesHash().size() != 10) {
            throw BaserDbException.invalid("recovery_codes", "must be 10");
        }
        apply(new UserTotpEnabled(userId, command.timeStep(), List.copyOf(command.recoveryCodesHash())));
    }

    @CommandHandler
    void handle(DisableTotp command) {
        requireActive();
        if (!totpEnabled) {
            throw BaserDbException.conflict("Two-factor authentication is off");
        }
        requireUsable(command.proof());
        apply(new UserTotpDisabled(userId));
    }

    @CommandHandler
    void handle(StartMfaChallenge command) {
        requireActive();
        if (!totpEnabled) {
            throw BaserDbException.conflict("Two-factor authentication is off");
        }
        requireUnlocked(GenericEventMessage.clock.instant());
        apply(new UserMfaChallengeStarted(userId, command.challengeHash(), command.expiresAt()));
    }

    @CommandHandler
    void handle(CompleteMfaChallenge command) {
        requireActive();
        Instant expiresAt = mfaChallenges.get(command.challengeHash());
        if (!totpEnabled || expiresAt == null || !command.at().isBefore(expiresAt)) {
            throw BaserDbException.unauthorized("The MFA token is invalid, used or expired; sign in again");
        }
        requireUnlocked(GenericEventMessage.clock.instant());
        requireUsable(command.proof());
        apply(new UserMfaChallengeCompleted(userId, command.challengeHash(), command.proof().timeStep(),
                command.proof().recoveryCodeHash()));
    }

    @CommandHandler
    void handle(UseSecondFactor command) {
        requireActive();
        if (!totpEnabled) {
            throw new BaserDbException(ErrorCode.MFA_REQUIRED, "Two-factor authentication is off for this account");
        }
        requireUsable(command.proof());
        apply(new UserSecondFactorUsed(userId, command.proof().timeStep(), command.proof().recoveryCodeHash()));
    }

    // --- administration ---

    @CommandHandler
    void handle(SetPlatformRoles command) {
        requireActive();
        Set<String> roles = Set.copyOf(command.platformRoles());
        if (!roles.equals(platformRoles)) {
            apply(new UserPlatformRolesChanged(userId, roles.stream().sorted().toList()));
        }
    }

    @CommandHandler
    void handle(StartImpersonation command) {
        requireActive();
        if (platformRoles.contains("platform_admin")) {
            throw BaserDbException.forbidden("A platform admin cannot be impersonated");
        }
        if (userId.equals(command.impersonatorId())) {
            throw BaserDbException.forbidden("Impersonating oneself is pointless");
        }
        apply(new UserImpersonationStarted(userId, command.impersonatorId(), command.sessionId(), command.expiresAt()));
    }

    /** A TOTP step newer than the last one used, or a recovery code not used yet; anything else is wrong. */
    private void requireUsable(SecondFactor proof) {
        if (proof == null) {
            throw wrongCode();
        }
        if (proof.timeStep() != null) {
            if (proof.timeStep() <= lastTotpStep) {
                throw wrongCode();
            }
        } else if (proof.recoveryCodeHash() == null || !recoveryCodeHashes.contains(proof.recoveryCodeHash())) {
            throw wrongCode();
        }
    }

    private void requireToken(Map<String, Instant> open, String tokenHash, Instant at) {
        Instant expiresAt = tokenHash == null ? null : open.get(tokenHash);
        if (erased || invitationTokenHash != null || expiresAt == null || !at.isBefore(expiresAt)) {
            throw new BaserDbException(ErrorCode.BAD_REQUEST, BAD_TOKEN);
        }
    }

    private void requireUnlocked(Instant now) {
        if (lockedAt(now)) {
            throw new BaserDbException(ErrorCode.ACCOUNT_LOCKED, "Too many failed logins; try again later")
                    .retryAfter(Duration.between(now, lockedUntil));
        }
    }

    /** A wrong, used or replayed second factor. */
    static BaserDbException wrongCode() {
        return new BaserDbException(ErrorCode.INVALID_CREDENTIALS, "The code is wrong or was already used");
    }


    private void requireNotErased() {
        if (erased) {
            throw BaserDbException.notFound("User");
        }
    }

    private void requireActive() {
        requireNotErased();
        if (invitationTokenHash != null) {
            throw BaserDbException.conflict("The invitation has not been accepted yet");
        }
    }

    private boolean lockedAt(Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    private boolean lockExpired(Instant now) {
        return lockedUntil != null && !now.isBefore(lockedUntil);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw BaserDbException.invalid(field, "must not be blank");
        }
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        userId = event.userId();
        passwordHash = event.passwordHash();
        platformRoles = Set.copyOf(event.platformRoles());
    }

    @EventSourcingHandler
    void on(UserInvited event) {
        userId = event.userId();
        invitationTokenHash = event.invitationTokenHash();
        invitationExpiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(UserLinkedToIdentityProvider event) {
        userId = event.userId();
        identityProvider = event.provider();
        identitySubject = event.subject();
    }

    @EventSourcingHandler
    void on(UserInvitationAccepted event) {
        passwordHash = event.passwordHash();
        invitationTokenHash = null;
        invitationExpiresAt = null;
    }

    @EventSourcingHandler
    void on(UserErased event) {
        erased = true;
        passwordHash = null;
        invitationTokenHash = null;
        totpEnabled = false;
        pendingTotpSecret = null;
        recoveryCodeHashes.clear();
        mfaChallenges.clear();
    }

    @EventSourcingHandler
    void on(UserPasswordChanged event) {
        passwordHash = event.passwordHash();
    }

    @EventSourcingHandler
    void on(UserLoginFailed event) {
        failedLogins = event.failedAttempts();
        lockedUntil = null;
    }

    @EventSourcingHandler
    void on(UserLockedOut event) {
        failedLogins = event.failedAttempts();
        lockedUntil = event.lockedUntil();
    }

    @EventSourcingHandler
    void on(UserFailedLoginsReset event) {
        failedLogins = 0;
        lockedUntil = null;
    }
    @EventSourcingHandler
    void on(UserPasswordResetRequested event) {
        resetTokens.put(event.tokenHash(), event.expiresAt());
    }

    /** A reset ends every open reset token, and the run of failed logins (the owner proved themselves). */
    @EventSourcingHandler
    void on(UserPasswordReset event) {
        passwordHash = event.passwordHash();
        resetTokens.clear();
        failedLogins = 0;
        lockedUntil = null;
    }

    @EventSourcingHandler
    void on(UserEmailVerificationRequested event) {
        verificationTokens.put(event.tokenHash(), event.expiresAt());
    }

    @EventSourcingHandler
    void on(UserEmailVerified event) {
        emailVerified = true;
        verificationTokens.clear();
    }

    @EventSourcingHandler
    void on(UserMagicLinkRequested event) {
        magicLinkTokens.put(event.tokenHash(), event.expiresAt());
    }

    @EventSourcingHandler
    void on(UserMagicLinkUsed event) {
        magicLinkTokens.remove(event.tokenHash());
        // Following the link proves the address too.
        emailVerified = true;
    }

    @EventSourcingHandler
    void on(UserTotpSetupStarted event) {
        pendingTotpSecret = event.sealedSecret();
    }

    @EventSourcingHandler
    void on(UserTotpEnabled event) {
        totpEnabled = true;
        pendingTotpSecret = null;
        lastTotpStep = Math.max(lastTotpStep, event.timeStep());
        recoveryCodeHashes.clear();
        recoveryCodeHashes.addAll(event.recoveryCodesHash());
    }

    @EventSourcingHandler
    void on(UserTotpDisabled event) {
        totpEnabled = false;
        recoveryCodeHashes.clear();
        mfaChallenges.clear();
    }

    @EventSourcingHandler
    void on(UserMfaChallengeStarted event) {
        mfaChallenges.put(event.challengeHash(), event.expiresAt());
    }

    @EventSourcingHandler
    void on(UserMfaChallengeCompleted event) {
        mfaChallenges.remove(event.challengeHash());
        spend(event.timeStep(), event.recoveryCodeHash());
    }

    @EventSourcingHandler
    void on(UserSecondFactorUsed event) {
        spend(event.timeStep(), event.recoveryCodeHash());
    }

    private void spend(Long timeStep, String recoveryCodeHash) {
        if (timeStep != null) {
            lastTotpStep = Math.max(lastTotpStep, timeStep);
        }
        if (recoveryCodeHash != null) {
            recoveryCodeHashes.remove(recoveryCodeHash);
        }
    }

    @EventSourcingHandler
    void on(UserPlatformRolesChanged event) {
        platformRoles = Set.copyOf(event.platformRoles());
    }
}
