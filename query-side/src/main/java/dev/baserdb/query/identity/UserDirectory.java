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
import static dev.baserdb.kernel.readmodel.schema.Tables.ACCOUNT_TOKENS;
import static dev.baserdb.kernel.readmodel.schema.Tables.IDENTITY_LINKS;
import static dev.baserdb.kernel.readmodel.schema.Tables.USERS;

/** Reads users from the users read model. */
@Service
public class UserDirectory {

    private final DSLContext db;

    public UserDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<UserView> findById(String userId) {
        return db.selectFrom(USERS).where(USERS.ID.eq(userId)).fetchOptional().map(UserDirectory::toView);
    }

    /** Looks a user up by email; callers pass the address as typed, it is compared lower-cased. */
    public Optional<UserView> findByEmail(String email) {
        return db.selectFrom(USERS).where(USERS.EMAIL.eq(email.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional().map(UserDirectory::toView);
    }

    /** The account linked to this user of an external identity provider, if any. */
    public Optional<UserView> findByIdentity(String provider, String subject) {
        return db.select(USERS.fields()).from(USERS)
                .join(IDENTITY_LINKS).on(IDENTITY_LINKS.USER_ID.eq(USERS.ID))
                .where(IDENTITY_LINKS.PROVIDER.eq(provider)).and(IDENTITY_LINKS.SUBJECT.eq(subject))
                .fetchOptional().map(UserDirectory::toView);
    }

    /** The provider's subject this account is linked to, if any. */
    public Optional<String> identitySubjectOf(String provider, String userId) {
        return db.select(IDENTITY_LINKS.SUBJECT).from(IDENTITY_LINKS)
                .where(IDENTITY_LINKS.PROVIDER.eq(provider)).and(IDENTITY_LINKS.USER_ID.eq(userId))
                .fetchOptional(IDENTITY_LINKS.SUBJECT);
    }

    public boolean emailTaken(String email) {
        return findByEmail(email).isPresent();
    }

    /**
     * The users whose email or display name contains {@code search} (case-insensitive; LIKE wildcards
     * in it are taken literally), erased accounts left out, oldest first.
     */
    public Page<UserView> search(String search, PageRequest page) {
        Condition condition = USERS.STATUS.ne("erased");
        if (search != null && !search.isBlank()) {
            String pattern = "%" + search.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            condition = condition.and(USERS.EMAIL.likeIgnoreCase(pattern, '\\')
                    .or(USERS.DISPLAY_NAME.likeIgnoreCase(pattern, '\\')));
        }
        long total = db.fetchCount(USERS, condition);
        List<UserView> items = db.selectFrom(USERS).where(condition)
                .orderBy(USERS.CREATED_AT.asc(), USERS.ID.asc())
                .limit(page.limit()).offset(page.offset())
                .fetch(UserDirectory::toView);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** How many accounts hold the role (erased ones hold none). */
    public int countWithRole(String role) {
        return db.fetchCount(USERS, org.jooq.impl.DSL.condition("{0} = any({1})", org.jooq.impl.DSL.val(role),
                USERS.PLATFORM_ROLES));
    }

    /** The user an open single-use token of this purpose belongs to (the aggregate decides if it is still good). */
    public Optional<String> userForToken(String tokenHash, String purpose) {
        return db.select(ACCOUNT_TOKENS.USER_ID).from(ACCOUNT_TOKENS)
                .where(ACCOUNT_TOKENS.TOKEN_HASH.eq(tokenHash)).and(ACCOUNT_TOKENS.PURPOSE.eq(purpose))
                .fetchOptional(ACCOUNT_TOKENS.USER_ID);
    }

    /** The latest expiry among the user's open tokens of this purpose (when the newest was issued, give or take its lifetime). */
    public Optional<java.time.Instant> latestTokenExpiry(String userId, String purpose) {
        return db.select(org.jooq.impl.DSL.max(ACCOUNT_TOKENS.EXPIRES_AT)).from(ACCOUNT_TOKENS)
                .where(ACCOUNT_TOKENS.USER_ID.eq(userId)).and(ACCOUNT_TOKENS.PURPOSE.eq(purpose))
                .fetchOptional(0, java.time.OffsetDateTime.class)
                .map(java.time.OffsetDateTime::toInstant);
    }

    static UserView toView(Record r) {
        String[] roles = r.get(USERS.PLATFORM_ROLES);
        return new UserView(
                r.get(USERS.ID),
                r.get(USERS.EMAIL),
                r.get(USERS.PASSWORD_HASH),
                r.get(USERS.DISPLAY_NAME),
                r.get(USERS.LOCALE),
                roles == null ? List.of() : List.of(roles),
                r.get(USERS.STATUS),
                r.get(USERS.FAILED_LOGINS),
                instant(r.get(USERS.LOCKED_UNTIL)),
                instant(r.get(USERS.CREATED_AT)),
                instant(r.get(USERS.UPDATED_AT)),
                r.get(USERS.VERSION),
                instant(r.get(USERS.EMAIL_VERIFIED_AT)),
                Boolean.TRUE.equals(r.get(USERS.TOTP_ENABLED)),
                r.get(USERS.TOTP_SECRET),
                r.get(USERS.TOTP_PENDING_SECRET));
    }

}
