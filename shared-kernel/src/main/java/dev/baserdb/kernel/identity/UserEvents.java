package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * Events of the {@code User} aggregate. None holds a plain password; email and display name are
 * sealed personal data ({@link dev.baserdb.kernel.privacy.PersonalData}).
 */
public sealed interface UserEvents {

    UserId userId();

    @Revision("1")
    record UserRegistered(UserId userId,
                          String email,
                          String passwordHash,
                          String displayName,
                          String locale,
                          /* sorted, so the event's JSON is the same on every machine */
                          List<String> platformRoles) implements UserEvents {
    }

    @Revision("1")
    record UserInvited(UserId userId,
                       String email,
                       String displayName,
                       String locale,
                       String invitationTokenHash,
                       Instant expiresAt) implements UserEvents {
    }

    @Revision("1")
    record UserInvitationAccepted(UserId userId, String passwordHash, String displayName) implements UserEvents {
    }

    @Revision("1")
    record UserPasswordChanged(UserId userId, String passwordHash) implements UserEvents {
    }

    @Revision("1")
    record UserLoginFailed(UserId userId, int failedAttempts) implements UserEvents {
    }

    @Revision("1")
    record UserLockedOut(UserId userId, int failedAttempts, Instant lockedUntil) implements UserEvents {
    }

    /** The account was erased; its personal data key is destroyed right after this event. */
    @Revision("1")
    record UserErased(UserId userId) implements UserEvents {
    }

    /** A successful login ended a run of failed ones (and any lock that had expired). */
    @Revision("1")
    record UserFailedLoginsReset(UserId userId) implements UserEvents {
    }

    /**
     * The account is the user {@code subject} of an external identity provider ({@code keycloak}):
     * a user first seen in one of its tokens (a new, active account), or an account BaserDB created
     * in the provider when it invited someone (still {@code invited} until they sign in). Email and
     * display name are sealed like everywhere else; a new account takes them from the token.
     */
    @Revision("1")
    record UserLinkedToIdentityProvider(UserId userId, String provider, String subject, String email,
                                        String displayName) implements UserEvents {
    }

    // --- account security (API.md §3): token hashes only, the TOTP secret sealed ---

    @Revision("1")
    record UserPasswordResetRequested(UserId userId, String tokenHash, Instant expiresAt) implements UserEvents {
    }

    /** The password was set with a reset token, which is now used. */
    @Revision("1")
    record UserPasswordReset(UserId userId, String tokenHash, String passwordHash) implements UserEvents {
    }

    @Revision("1")
    record UserEmailVerificationRequested(UserId userId, String tokenHash, Instant expiresAt) implements UserEvents {
    }

    @Revision("1")
    record UserEmailVerified(UserId userId, String tokenHash) implements UserEvents {
    }

    @Revision("1")
    record UserMagicLinkRequested(UserId userId, String tokenHash, Instant expiresAt) implements UserEvents {
    }

    @Revision("1")
    record UserMagicLinkUsed(UserId userId, String tokenHash) implements UserEvents {
    }

    /** A TOTP secret is pending confirmation; sealed under the user's data key, so erasure shreds it. */
    @Revision("1")
    record UserTotpSetupStarted(UserId userId, String sealedSecret) implements UserEvents {
    }

    /** TOTP is on; the code of {@code timeStep} proved it and is used; one SHA-256 per recovery code. */
    @Revision("1")
    record UserTotpEnabled(UserId userId, long timeStep, List<String> recoveryCodesHash) implements UserEvents {
    }

    @Revision("1")
    record UserTotpDisabled(UserId userId) implements UserEvents {
    }

    @Revision("1")
    record UserMfaChallengeStarted(UserId userId, String challengeHash, Instant expiresAt) implements UserEvents {
    }

    /** A sign-in challenge was met with a TOTP code ({@code timeStep}) or a recovery code (its hash). */
    @Revision("1")
    record UserMfaChallengeCompleted(UserId userId, String challengeHash, Long timeStep, String recoveryCodeHash)
            implements UserEvents {
    }

    /** A second factor was spent outside sign-in (e.g. a credential reveal). */
    @Revision("1")
    record UserSecondFactorUsed(UserId userId, Long timeStep, String recoveryCodeHash) implements UserEvents {
    }

    // --- administration (API.md §14) ---

    @Revision("1")
    record UserPlatformRolesChanged(UserId userId, List<String> platformRoles) implements UserEvents {
    }

    /** A platform admin started acting as this user; the session ends at {@code expiresAt}. */
    @Revision("1")
    record UserImpersonationStarted(UserId userId, UserId impersonatorId, String sessionId, Instant expiresAt)
            implements UserEvents {
    }
}
