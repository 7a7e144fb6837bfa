package dev.baserdb.query.identity;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.IdentityTables.IdentityLinks;
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
                r.get(Users.VERSION));
    }

}
