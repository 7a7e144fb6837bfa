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
}
