package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Commands of the {@code User} aggregate. Passwords arrive already hashed: no plain password is
 * ever part of a message. Email and display name arrive sealed under the user's data key
 * ({@link dev.baserdb.kernel.privacy.PersonalData}), so erasure can shred them.
 */
public sealed interface UserCommands {

    UserId userId();

    /** Registers a new platform user. The email is lower-cased by the sender. */
    record RegisterUser(@TargetAggregateIdentifier UserId userId,
                        String email,
                        String passwordHash,
                        String displayName,
                        String locale,
                        Set<String> platformRoles) implements UserCommands {
    }

    /** Creates an account in state {@code invited}; it becomes usable when the invitation is accepted. */
    record InviteUser(@TargetAggregateIdentifier UserId userId,
                      String email,
                      String displayName,
                      String locale,
                      String invitationTokenHash,
                      java.time.Instant expiresAt) implements UserCommands {
    }

    /** Accepts an invitation with its (hashed) single-use token and sets the password. */
    record AcceptInvitation(@TargetAggregateIdentifier UserId userId,
                            String invitationTokenHash,
                            String passwordHash,
                            String displayName) implements UserCommands {
    }

    record ChangePassword(@TargetAggregateIdentifier UserId userId, String passwordHash) implements UserCommands {
    }

    /**
     * Records one failed login. After {@code maxAttempts} failures in a row the account is locked
     * for {@code lockDuration}; while it is locked, a failure changes nothing and says so. The
     * aggregate decides all three answers in one command, so parallel guesses cannot slip past the
     * limit. Returns {@link LoginFailureOutcome}.
     */
    record RecordFailedLogin(@TargetAggregateIdentifier UserId userId,
                             int maxAttempts,
                             Duration lockDuration) implements UserCommands {
    }

    /** Erases the account: it can no longer be used, and its personal data is shredded with its key. */
    record EraseUser(@TargetAggregateIdentifier UserId userId) implements UserCommands {
    }

    /**
     * Records a successful login, which ends a run of failures. While the account is locked it is
     * refused (ACCOUNT_LOCKED with the time left), even if the password was right.
     */
    record RecordSuccessfulLogin(@TargetAggregateIdentifier UserId userId) implements UserCommands {
    }

    /**
     * Links the account to a user of an external identity provider, creating the account when it
     * does not exist yet (a user seen for the first time in a provider's token). Email and display
     * name arrive sealed; the email is lower-cased by the sender.
     */
    record LinkUserToIdentityProvider(@TargetAggregateIdentifier UserId userId,
                                      String provider,
                                      String subject,
                                      String email,
                                      String displayName) implements UserCommands {
    }

    /**
     * The invited account signed in through its identity provider for the first time: the
     * invitation is accepted without a local password (the provider holds the credentials).
     */
    record AcceptInvitationThroughIdentityProvider(@TargetAggregateIdentifier UserId userId,
                                                   String provider,
                                                   String subject) implements UserCommands {
    }

    // --- account security (API.md §3): single-use tokens travel only as SHA-256 hashes ---

    /** Opens a password reset: its token (hashed) is good until {@code expiresAt}, once. */
    record RequestPasswordReset(@TargetAggregateIdentifier UserId userId, String tokenHash, java.time.Instant expiresAt)
            implements UserCommands {
    }

    /** Sets a new password with a reset token; {@code at} is the request's time (the API's clock). */
    record ResetPassword(@TargetAggregateIdentifier UserId userId, String tokenHash, String passwordHash,
                         java.time.Instant at) implements UserCommands {
    }

    record RequestEmailVerification(@TargetAggregateIdentifier UserId userId, String tokenHash,
                                    java.time.Instant expiresAt) implements UserCommands {
    }

    record VerifyEmail(@TargetAggregateIdentifier UserId userId, String tokenHash, java.time.Instant at)
            implements UserCommands {
    }

    record RequestMagicLink(@TargetAggregateIdentifier UserId userId, String tokenHash, java.time.Instant expiresAt)
            implements UserCommands {
    }

    /** Signs in with a magic link (single use). */
    record UseMagicLink(@TargetAggregateIdentifier UserId userId, String tokenHash, java.time.Instant at)
            implements UserCommands {
    }

    /** Starts (or restarts) the TOTP setup with a new secret sealed under the user's data key. */
    record StartTotpSetup(@TargetAggregateIdentifier UserId userId, String sealedSecret) implements UserCommands {
    }

    /**
     * Turns TOTP on after the caller proved the pending secret with the code of {@code timeStep};
     * the recovery codes arrive hashed (one SHA-256 per code).
     */
    record EnableTotp(@TargetAggregateIdentifier UserId userId, long timeStep, List<String> recoveryCodesHash)
            implements UserCommands {
    }

    /** Turns TOTP off, proved by a TOTP code (its time step) or a recovery code (its hash). */
    record DisableTotp(@TargetAggregateIdentifier UserId userId, SecondFactor proof) implements UserCommands {
    }

    /** A password was right and 2FA is on: a short-lived, single-use challenge (its token hashed) is opened. */
    record StartMfaChallenge(@TargetAggregateIdentifier UserId userId, String challengeHash,
                             java.time.Instant expiresAt) implements UserCommands {
    }

    /** Completes a sign-in challenge with a second factor; the challenge and the factor are used up. */
    record CompleteMfaChallenge(@TargetAggregateIdentifier UserId userId, String challengeHash, SecondFactor proof,
                                java.time.Instant at) implements UserCommands {
    }

    /** Spends a second factor outside sign-in (a credential reveal under {@code require_mfa}). */
    record UseSecondFactor(@TargetAggregateIdentifier UserId userId, SecondFactor proof) implements UserCommands {
    }

    /** A second factor as the aggregate sees it: the TOTP time step a code matched, or a recovery code's hash. */
    record SecondFactor(Long timeStep, String recoveryCodeHash) {

        public static SecondFactor totp(long timeStep) {
            return new SecondFactor(timeStep, null);
        }

        public static SecondFactor recoveryCode(String hash) {
            return new SecondFactor(null, hash);
        }
    }

    // --- administration (API.md §14) ---

    /** Replaces the user's platform roles (applies from the user's next request). */
    record SetPlatformRoles(@TargetAggregateIdentifier UserId userId, Set<String> platformRoles) implements UserCommands {
    }

    /** A platform admin starts acting as this user through a 15-minute session. */
    record StartImpersonation(@TargetAggregateIdentifier UserId userId, UserId impersonatorId, String sessionId,
                              java.time.Instant expiresAt) implements UserCommands {
    }

    /** What a failed login led to. */
    record LoginFailureOutcome(Result result, int failedAttempts, java.time.Instant lockedUntil) {

        public enum Result {
            /** Counted; the account is still open. */
            RECORDED,
            /** This failure reached the limit: the account is locked from now until {@code lockedUntil}. */
            LOCKED_NOW,
            /** The account was already locked: nothing was counted. */
            ALREADY_LOCKED
        }

        public boolean locked() {
            return result != Result.RECORDED;
        }
    }
}
