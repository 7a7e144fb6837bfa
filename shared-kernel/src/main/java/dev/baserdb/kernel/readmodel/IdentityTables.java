package dev.baserdb.kernel.readmodel;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * The identity read-model schema (users, sessions, refresh tokens) as jOOQ names: the contract
 * between the projections that write these tables and the read services that query them.
 * The DDL is the Flyway migration {@code V2_0__identity.sql} of the projections module.
 */
public final class IdentityTables {

    private IdentityTables() {
    }

    /** Accounts linked to a user of an external identity provider (V10_0__identity_links.sql). */
    public static final class IdentityLinks {
        public static final Table<Record> TABLE = table(name("identity_links"));
        public static final Field<String> PROVIDER = field(name("identity_links", "provider"), String.class);
        public static final Field<String> SUBJECT = field(name("identity_links", "subject"), String.class);
        public static final Field<String> USER_ID = field(name("identity_links", "user_id"), String.class);
        public static final Field<OffsetDateTime> LINKED_AT = field(name("identity_links", "linked_at"), OffsetDateTime.class);

        private IdentityLinks() {
        }
    }

    public static final class Users {
        public static final Table<Record> TABLE = table(name("users"));
        public static final Field<String> ID = field(name("users", "id"), String.class);
        public static final Field<String> EMAIL = field(name("users", "email"), String.class);
        public static final Field<String> PASSWORD_HASH = field(name("users", "password_hash"), String.class);
        public static final Field<String> DISPLAY_NAME = field(name("users", "display_name"), String.class);
        public static final Field<String> LOCALE = field(name("users", "locale"), String.class);
        public static final Field<String[]> PLATFORM_ROLES = field(name("users", "platform_roles"), String[].class);
        public static final Field<String> STATUS = field(name("users", "status"), String.class);
        public static final Field<Integer> FAILED_LOGINS = field(name("users", "failed_logins"), Integer.class);
        public static final Field<OffsetDateTime> LOCKED_UNTIL = field(name("users", "locked_until"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("users", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("users", "updated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("users", "version"), Long.class);
        public static final Field<OffsetDateTime> EMAIL_VERIFIED_AT =
                field(name("users", "email_verified_at"), OffsetDateTime.class);
        public static final Field<Boolean> TOTP_ENABLED = field(name("users", "totp_enabled"), Boolean.class);
        /** Sealed under the user's data key. */
        public static final Field<String> TOTP_SECRET = field(name("users", "totp_secret"), String.class);
        public static final Field<String> TOTP_PENDING_SECRET = field(name("users", "totp_pending_secret"), String.class);

        private Users() {
        }
    }

    public static final class Sessions {
        public static final Table<Record> TABLE = table(name("sessions"));
        public static final Field<String> ID = field(name("sessions", "id"), String.class);
        public static final Field<String> USER_ID = field(name("sessions", "user_id"), String.class);
        public static final Field<String> REFRESH_TOKEN_HASH = field(name("sessions", "refresh_token_hash"), String.class);
        public static final Field<String> USER_AGENT = field(name("sessions", "user_agent"), String.class);
        public static final Field<String> IP = field(name("sessions", "ip"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("sessions", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> LAST_USED_AT = field(name("sessions", "last_used_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> EXPIRES_AT = field(name("sessions", "expires_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> REVOKED_AT = field(name("sessions", "revoked_at"), OffsetDateTime.class);
        public static final Field<String> REVOKE_REASON = field(name("sessions", "revoke_reason"), String.class);
        public static final Field<Long> VERSION = field(name("sessions", "version"), Long.class);

        private Sessions() {
        }
    }

    /** Every refresh token hash a session ever issued, so that a rotated one is recognised on reuse. */
    public static final class RefreshTokens {
        public static final Table<Record> TABLE = table(name("refresh_tokens"));
        public static final Field<String> TOKEN_HASH = field(name("refresh_tokens", "token_hash"), String.class);
        public static final Field<String> SESSION_ID = field(name("refresh_tokens", "session_id"), String.class);

        private RefreshTokens() {
        }
    }

    /** Which user an open single-use token belongs to (V8_0): reset, verification, magic link, MFA challenge. */
    public static final class AccountTokens {
        public static final Table<Record> TABLE = table(name("account_tokens"));
        public static final Field<String> TOKEN_HASH = field(name("account_tokens", "token_hash"), String.class);
        public static final Field<String> USER_ID = field(name("account_tokens", "user_id"), String.class);
        public static final Field<String> PURPOSE = field(name("account_tokens", "purpose"), String.class);
        public static final Field<OffsetDateTime> EXPIRES_AT =
                field(name("account_tokens", "expires_at"), OffsetDateTime.class);

        public static final String RESET = "password_reset";
        public static final String VERIFICATION = "email_verification";
        public static final String MAGIC_LINK = "magic_link";
        public static final String MFA = "mfa_challenge";

        private AccountTokens() {
        }
    }
}
