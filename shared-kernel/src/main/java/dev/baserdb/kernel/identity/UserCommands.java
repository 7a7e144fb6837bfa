package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
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
     * for {@code lockDuration}. Returns {@link LoginFailureOutcome}.
     */
    record RecordFailedLogin(@TargetAggregateIdentifier UserId userId,
                             int maxAttempts,
                             Duration lockDuration) implements UserCommands {
    }

    /** Erases the account: it can no longer be used, and its personal data is shredded with its key. */
    record EraseUser(@TargetAggregateIdentifier UserId userId) implements UserCommands {
    }

    /** Records a successful login, which ends a run of failures. */
    record RecordSuccessfulLogin(@TargetAggregateIdentifier UserId userId) implements UserCommands {
    }

    /** What a failed login led to. */
    record LoginFailureOutcome(int failedAttempts, java.time.Instant lockedUntil) {

        public boolean locked() {
            return lockedUntil != null;
        }
    }
}
