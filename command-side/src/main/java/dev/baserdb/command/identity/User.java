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

import java.time.Duration;
import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A platform user: registration or invitation, password and the run of failed logins that leads
 * to a lockout.
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
}
