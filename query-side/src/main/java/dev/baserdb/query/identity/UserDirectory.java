package dev.baserdb.query.identity;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.IdentityTables.IdentityLinks;
import static dev.baserdb.kernel.readmodel.IdentityTables.AccountTokens;
import static dev.baserdb.kernel.readmodel.IdentityTables.Users;

/** Reads users from the users read model. */
@Service
public class UserDirectory {

    private final DSLContext db;

    public UserDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<UserView> findById(String userId) {
        return db.selectFrom(Users.TABLE).where(Users.ID.eq(userId)).fetchOptional().map(UserDirectory::toView);
    }

    /** Looks a user up by email; callers pass the address as typed, it is compared lower-cased. */
    public Optional<UserView> findByEmail(String email) {
        return db.selectFrom(Users.TABLE).where(Users.EMAIL.eq(email.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional().map(UserDirectory::toView);
    }

    /** The account linked to this user of an external identity provider, if any. */
    public Optional<UserView> findByIdentity(String provider, String subject) {
        return db.select(Users.TABLE.fields()).from(Users.TABLE)
                .join(IdentityLinks.TABLE).on(IdentityLinks.USER_ID.eq(Users.ID))
                .where(IdentityLinks.PROVIDER.eq(provider)).and(IdentityLinks.SUBJECT.eq(subject))
                .fetchOptional().map(UserDirectory::toView);
    }

    /** The provider's subject this account is linked to, if any. */
    public Optional<String> identitySubjectOf(String provider, String userId) {
        return db.select(IdentityLinks.SUBJECT).from(IdentityLinks.TABLE)
                .where(IdentityLinks.PROVIDER.eq(provider)).and(IdentityLinks.USER_ID.eq(userId))
                .fetchOptional(IdentityLinks.SUBJECT);
    }

    public boolean emailTaken(String email) {
        return findByEmail(email).isPresent();
    }

    /**
     * The users whose email or display name contains {@code search} (case-insensitive; LIKE wildcards
     * in it are taken literally), erased accounts left out, oldest first.
     */
    public Page<UserView> search(String search, PageRequest page) {
        Condition condition = Users.STATUS.ne("erased");
        if (search != null && !search.isBlank()) {
            String pattern = "%" + search.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            condition = condition.and(Users.EMAIL.likeIgnoreCase(pattern, '\\')
                    .or(Users.DISPLAY_NAME.likeIgnoreCase(pattern, '\\')));
        }
        long total = db.fetchCount(Users.TABLE, condition);
        List<UserView> items = db.selectFrom(Users.TABLE).where(condition)
                .orderBy(Users.CREATED_AT.asc(), Users.ID.asc())
                .limit(page.limit()).offset(page.offset())
                .fetch(UserDirectory::toView);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** How many accounts hold the role (erased ones hold none). */
    public int countWithRole(String role) {
        return db.fetchCount(Users.TABLE, org.jooq.impl.DSL.condition("{0} = any({1})", org.jooq.impl.DSL.val(role),
                Users.PLATFORM_ROLES));
    }

    /** The user an open single-use token of this purpose belongs to (the aggregate decides if it is still good). */
    public Optional<String> userForToken(String tokenHash, String purpose) {
        return db.select(AccountTokens.USER_ID).from(AccountTokens.TABLE)
                .where(AccountTokens.TOKEN_HASH.eq(tokenHash)).and(AccountTokens.PURPOSE.eq(purpose))
                .fetchOptional(AccountTokens.USER_ID);
    }

    /** The latest expiry among the user's open tokens of this purpose (when the newest was issued, give or take its lifetime). */
    public Optional<java.time.Instant> latestTokenExpiry(String userId, String purpose) {
        return db.select(org.jooq.impl.DSL.max(AccountTokens.EXPIRES_AT)).from(AccountTokens.TABLE)
                .where(AccountTokens.USER_ID.eq(userId)).and(AccountTokens.PURPOSE.eq(purpose))
                .fetchOptional(0, java.time.OffsetDateTime.class)
                .map(java.time.OffsetDateTime::toInstant);
    }

    static UserView toView(Record r) {
        String[] roles = r.get(Users.PLATFORM_ROLES);
        return new UserView(
                r.get(Users.ID),
                r.get(Users.EMAIL),
                r.get(Users.PASSWORD_HASH),
                r.get(Users.DISPLAY_NAME),
                r.get(Users.LOCALE),
                roles == null ? List.of() : List.of(roles),
                r.get(Users.STATUS),
                r.get(Users.FAILED_LOGINS),
                instant(r.get(Users.LOCKED_UNTIL)),
                instant(r.get(Users.CREATED_AT)),
                instant(r.get(Users.UPDATED_AT)),
                r.get(Users.VERSION),
                instant(r.get(Users.EMAIL_VERIFIED_AT)),
                Boolean.TRUE.equals(r.get(Users.TOTP_ENABLED)),
                r.get(Users.TOTP_SECRET),
                r.get(Users.TOTP_PENDING_SECRET));
    }

}
