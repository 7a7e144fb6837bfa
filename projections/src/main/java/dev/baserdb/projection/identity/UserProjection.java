package dev.baserdb.projection.identity;

import dev.baserdb.kernel.identity.UserEvents.UserEmailVerificationRequested;
import dev.baserdb.kernel.identity.UserEvents.UserEmailVerified;
import dev.baserdb.kernel.identity.UserEvents.UserErased;
import dev.baserdb.kernel.identity.UserEvents.UserMagicLinkRequested;
import dev.baserdb.kernel.identity.UserEvents.UserMagicLinkUsed;
import dev.baserdb.kernel.identity.UserEvents.UserMfaChallengeCompleted;
import dev.baserdb.kernel.identity.UserEvents.UserMfaChallengeStarted;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordReset;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordResetRequested;
import dev.baserdb.kernel.identity.UserEvents.UserPlatformRolesChanged;
import dev.baserdb.kernel.identity.UserEvents.UserTotpDisabled;
import dev.baserdb.kernel.identity.UserEvents.UserTotpEnabled;
import dev.baserdb.kernel.identity.UserEvents.UserTotpSetupStarted;
import dev.baserdb.kernel.identity.UserEvents.UserFailedLoginsReset;
import dev.baserdb.kernel.identity.UserEvents.UserInvitationAccepted;
import dev.baserdb.kernel.identity.UserEvents.UserInvited;
import dev.baserdb.kernel.identity.UserEvents.UserLinkedToIdentityProvider;
import dev.baserdb.kernel.identity.UserEvents.UserLockedOut;
import dev.baserdb.kernel.identity.UserEvents.UserLoginFailed;
import dev.baserdb.kernel.identity.UserEvents.UserPasswordChanged;
import dev.baserdb.kernel.identity.UserEvents.UserRegistered;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.privacy.PersonalData;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.Record;
import org.jooq.UpdateSetMoreStep;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;

import static dev.baserdb.kernel.readmodel.IdentityTables.AccountTokens;
import static dev.baserdb.kernel.readmodel.schema.Tables.ACCOUNT_TOKENS;
import static dev.baserdb.kernel.readmodel.schema.Tables.IDENTITY_LINKS;
import static dev.baserdb.kernel.readmodel.schema.Tables.INVITATIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.USERS;

/**
 * The users read model. Inline: it commits with the events, so a login right after register
 * works, and the unique email index turns a duplicate registration into a rolled-back command.
 * Every write is guarded by the aggregate version, so a replay gives the same table.
 */
@Component
@ProcessingGroup(UserProjection.GROUP)
class UserProjection {

    static final String GROUP = "users";

    private final DSLContext db;
    private final PersonalData personalData;

    UserProjection(DSLContext db, PersonalData personalData) {
        this.db = db;
        this.personalData = personalData;
    }

    @EventHandler
    void on(UserRegistered event, @SequenceNumber long version, @Timestamp Instant at) {
        newUser(event.userId(), event.email(), event.passwordHash(), event.displayName(), event.locale(),
                event.platformRoles().stream().sorted().toArray(String[]::new), "active", at, version);
    }

    @EventHandler
    void on(UserInvited event, @SequenceNumber long version, @Timestamp Instant at) {
        newUser(event.userId(), event.email(), null, event.displayName(), event.locale(), new String[0], "invited",
                at, version);
        db.insertInto(INVITATIONS)
                .set(INVITATIONS.TOKEN_HASH, event.invitationTokenHash())
                .set(INVITATIONS.USER_ID, event.userId().value())
                .set(INVITATIONS.EXPIRES_AT, utc(event.expiresAt()))
                .onConflict(INVITATIONS.TOKEN_HASH).doNothing()
                .execute();
    }

    @EventHandler
    void on(UserInvitationAccepted event, @SequenceNumber long version, @Timestamp Instant at) {
        var change = change(version, at)
                .set(USERS.PASSWORD_HASH, event.passwordHash())
                .set(USERS.STATUS, "active");
        if (event.displayName() != null) {
            change = change.set(USERS.DISPLAY_NAME, personalData.open(event.displayName()).orElse(null));
        }
        guarded(change, event.userId(), version);
        db.update(INVITATIONS).set(INVITATIONS.ACCEPTED_AT, utc(at))
                .where(INVITATIONS.USER_ID.eq(event.userId().value())).and(INVITATIONS.ACCEPTED_AT.isNull())
                .execute();
    }

    /**
     * A new account seen first in a provider's token (active, no password), or the link of an
     * existing one. The link's primary key is the rule "one account per provider user": a second
     * account for the same subject fails here and rolls its command back.
     */
    @EventHandler
    void on(UserLinkedToIdentityProvider event, @SequenceNumber long version, @Timestamp Instant at) {
        String userId = event.userId().value();
        newUser(event.userId(), event.email(), null, event.displayName(), "en", new String[0], "active", at, version);
        guarded(change(version, at), event.userId(), version);
        db.insertInto(IDENTITY_LINKS)
                .set(IDENTITY_LINKS.PROVIDER, event.provider())
                .set(IDENTITY_LINKS.SUBJECT, event.subject())
                .set(IDENTITY_LINKS.USER_ID, userId)
                .set(IDENTITY_LINKS.LINKED_AT, utc(at))
                .onConflict(IDENTITY_LINKS.PROVIDER, IDENTITY_LINKS.SUBJECT).doNothing()
                .execute();
        String owner = db.select(IDENTITY_LINKS.USER_ID).from(IDENTITY_LINKS)
                .where(IDENTITY_LINKS.PROVIDER.eq(event.provider())).and(IDENTITY_LINKS.SUBJECT.eq(event.subject()))
                .fetchOne(IDENTITY_LINKS.USER_ID);
        if (!userId.equals(owner)) {
            throw new IllegalStateException("The " + event.provider() + " user is already linked to another account");
        }
    }

    /** The row stays (ids elsewhere point at it) but holds nothing personal any more. */
    @EventHandler
    void on(UserErased event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at)
                .set(USERS.STATUS, "erased")
                .set(USERS.EMAIL, erasedEmail(event.userId()))
                .set(USERS.DISPLAY_NAME, (String) null)
                .set(USERS.LOCALE, (String) null)
                .set(USERS.PASSWORD_HASH, (String) null)
                .set(USERS.PLATFORM_ROLES, new String[0])
                .set(USERS.TOTP_ENABLED, false)
                .set(USERS.TOTP_SECRET, (String) null)
                .set(USERS.TOTP_PENDING_SECRET, (String) null), event.userId(), version);
        db.deleteFrom(INVITATIONS).where(INVITATIONS.USER_ID.eq(event.userId().value())).execute();
        db.deleteFrom(IDENTITY_LINKS).where(IDENTITY_LINKS.USER_ID.eq(event.userId().value())).execute();

        db.deleteFrom(ACCOUNT_TOKENS).where(ACCOUNT_TOKENS.USER_ID.eq(event.userId().value())).execute();
    }

    @EventHandler
    void on(UserPasswordChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at).set(USERS.PASSWORD_HASH, event.passwordHash()), event.userId(), version);
    }

    @EventHandler
    void on(UserLoginFailed event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at)
                .set(USERS.FAILED_LOGINS, event.failedAttempts())
                .set(USERS.LOCKED_UNTIL, (OffsetDateTime) null), event.userId(), version);
    }

    @EventHandler
    void on(UserLockedOut event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at)
                .set(USERS.FAILED_LOGINS, event.failedAttempts())
                .set(USERS.LOCKED_UNTIL, utc(event.lockedUntil())), event.userId(), version);
    }

    @EventHandler
    void on(UserFailedLoginsReset event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at)
                .set(USERS.FAILED_LOGINS, 0)
                .set(USERS.LOCKED_UNTIL, (OffsetDateTime) null), event.userId(), version);
    }

    // --- account security (issue 13) ---

    @EventHandler
    void on(UserPasswordResetRequested event) {
        openToken(event.tokenHash(), event.userId(), AccountTokens.RESET, event.expiresAt());
    }

    /**
     * The password changes, every open reset token of the user dies with the one used, and a lockout
     * ends: whoever reset it proved they hold the account's mailbox.
     */
    @EventHandler
    void on(UserPasswordReset event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at)
                .set(USERS.PASSWORD_HASH, event.passwordHash())
                .set(USERS.FAILED_LOGINS, 0)
                .set(USERS.LOCKED_UNTIL, (OffsetDateTime) null), event.userId(), version);
        closeTokens(event.userId(), AccountTokens.RESET);
    }

    @EventHandler
    void on(UserEmailVerificationRequested event) {
        openToken(event.tokenHash(), event.userId(), AccountTokens.VERIFICATION, event.expiresAt());
    }

    @EventHandler
    void on(UserEmailVerified event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at).set(USERS.EMAIL_VERIFIED_AT, utc(at)), event.userId(), version);
        closeTokens(event.userId(), AccountTokens.VERIFICATION);
    }

    @EventHandler
    void on(UserMagicLinkRequested event) {
        openToken(event.tokenHash(), event.userId(), AccountTokens.MAGIC_LINK, event.expiresAt());
    }

    /** A used magic link also proves the address. */
    @EventHandler
    void on(UserMagicLinkUsed event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at).set(USERS.EMAIL_VERIFIED_AT,
                DSL.coalesce(USERS.EMAIL_VERIFIED_AT, DSL.val(utc(at)))), event.userId(), version);
        db.deleteFrom(ACCOUNT_TOKENS).where(ACCOUNT_TOKENS.TOKEN_HASH.eq(event.tokenHash())).execute();
    }

    @EventHandler
    void on(UserTotpSetupStarted event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at).set(USERS.TOTP_PENDING_SECRET, event.sealedSecret()), event.userId(), version);
    }

    @EventHandler
    void on(UserTotpEnabled event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at)
                .set(USERS.TOTP_ENABLED, true)
                .set(USERS.TOTP_SECRET, USERS.TOTP_PENDING_SECRET)
                .set(USERS.TOTP_PENDING_SECRET, (String) null), event.userId(), version);
    }

    @EventHandler
    void on(UserTotpDisabled event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at)
                .set(USERS.TOTP_ENABLED, false)
                .set(USERS.TOTP_SECRET, (String) null), event.userId(), version);
        closeTokens(event.userId(), AccountTokens.MFA);
    }

    @EventHandler
    void on(UserMfaChallengeStarted event) {
        openToken(event.challengeHash(), event.userId(), AccountTokens.MFA, event.expiresAt());
    }

    @EventHandler
    void on(UserMfaChallengeCompleted event) {
        db.deleteFrom(ACCOUNT_TOKENS).where(ACCOUNT_TOKENS.TOKEN_HASH.eq(event.challengeHash())).execute();
    }

    @EventHandler
    void on(UserPlatformRolesChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        guarded(change(version, at).set(USERS.PLATFORM_ROLES, event.platformRoles().stream().sorted()
                .toArray(String[]::new)), event.userId(), version);
    }

    /** Every open token of the user for {@code purpose} is spent. */
    private void closeTokens(UserId userId, String purpose) {
        db.deleteFrom(ACCOUNT_TOKENS).where(ACCOUNT_TOKENS.USER_ID.eq(userId.value()))
                .and(ACCOUNT_TOKENS.PURPOSE.eq(purpose)).execute();
    }

    private void openToken(String tokenHash, UserId userId, String purpose, Instant expiresAt) {
        db.insertInto(ACCOUNT_TOKENS)
                .set(ACCOUNT_TOKENS.TOKEN_HASH, tokenHash)
                .set(ACCOUNT_TOKENS.USER_ID, userId.value())
                .set(ACCOUNT_TOKENS.PURPOSE, purpose)
                .set(ACCOUNT_TOKENS.EXPIRES_AT, utc(expiresAt))
                .onConflict(ACCOUNT_TOKENS.TOKEN_HASH).doNothing()
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(IDENTITY_LINKS).execute();

        db.deleteFrom(ACCOUNT_TOKENS).execute();
        db.deleteFrom(INVITATIONS).execute();
        db.deleteFrom(USERS).execute();
    }

    /** The email, or once the key is gone a unique placeholder that keeps the unique index satisfied. */
    /**
     * A new account's row, its email and display name opened from their sealed form; an account
     * already there (an event handled again) is left as it is.
     */
    private void newUser(UserId userId, String sealedEmail, String passwordHash, String sealedDisplayName,
                         String locale, String[] platformRoles, String status, Instant at, long version) {
        OffsetDateTime time = utc(at);
        db.insertInto(USERS)
                .set(USERS.ID, userId.value())
                .set(USERS.EMAIL, email(userId, sealedEmail))
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.DISPLAY_NAME, personalData.open(sealedDisplayName).orElse(null))
                .set(USERS.LOCALE, locale)
                .set(USERS.PLATFORM_ROLES, platformRoles)
                .set(USERS.STATUS, status)
                .set(USERS.CREATED_AT, time)
                .set(USERS.UPDATED_AT, time)
                .set(USERS.VERSION, version)
                .onConflict(USERS.ID).doNothing()
                .execute();
    }

    private String email(UserId userId, String sealed) {
        return personalData.open(sealed).orElse(erasedEmail(userId));
    }

    private static String erasedEmail(UserId userId) {
        return "erased+" + userId.value() + "@erased.invalid";
    }

    private UpdateSetMoreStep<Record> change(long version, Instant at) {
        return db.update(USERS).set(USERS.UPDATED_AT, utc(at)).set(USERS.VERSION, version);
    }

    /** Applies a change only over an older version, so a replayed event changes nothing twice. */
    private static void guarded(UpdateSetMoreStep<Record> change, UserId userId, long version) {
        change.where(USERS.ID.eq(userId.value())).and(USERS.VERSION.lt(version)).execute();
    }

}
