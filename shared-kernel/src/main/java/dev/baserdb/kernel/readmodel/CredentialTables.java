package dev.baserdb.kernel.readmodel;

import dev.baserdb.kernel.readmodel.TenancyTables.Period;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The credentials read model (masked; secrets only sealed) as jOOQ names. DDL: {@code V6_4__credentials.sql}. */
public final class CredentialTables {

    private CredentialTables() {
    }

    public static final class Credentials {
        public static final Table<Record> TABLE = table(name("credential_versions"));
        public static final Field<String> ID = field(name("credential_versions", "id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("credential_versions", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("credential_versions", "organization_id"), String.class);
        public static final Field<String> NAME = field(name("credential_versions", "name"), String.class);
        public static final Field<String> KIND = field(name("credential_versions", "kind"), String.class);
        /** JSON {roles, require_mfa, require_reason}. */
        public static final Field<String> REVEAL_POLICY = field(name("credential_versions", "reveal_policy"), String.class);
        public static final Field<String> LOGIN_ROLE = field(name("credential_versions", "login_role"), String.class);
        public static final Field<String> URI_MASKED = field(name("credential_versions", "uri_masked"), String.class);
        /** Sealed under the project's data key (never plaintext); null once revoked. */
        public static final Field<String> SEALED_SECRET = field(name("credential_versions", "sealed_secret"), String.class);
        public static final Field<String> STATUS = field(name("credential_versions", "status"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("credential_versions", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> ROTATED_AT = field(name("credential_versions", "rotated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("credential_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("credential_versions", "valid_from"), OffsetDateTime.class),
                field(name("credential_versions", "valid_to"), OffsetDateTime.class));

        private Credentials() {
        }
    }
}
