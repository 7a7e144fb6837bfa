package dev.baserdb.kernel.readmodel;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * The tenancy read-model schema (organizations, memberships, projects, groups, personal access
 * tokens, invitations) as jOOQ names, shared by the projections that write it and the read
 * services that query it. DDL: {@code V3_0__tenancy.sql} of the projections module.
 */
public final class TenancyTables {

    private TenancyTables() {
    }

    /** The validity period of a versioned row: current, or as of an instant. */
    public record Period(Field<OffsetDateTime> validFrom, Field<OffsetDateTime> validTo) {

        public Condition current() {
            return validTo.isNull();
        }

        /** The version in force at {@code at} ({@code null} means now). */
        public Condition at(java.time.Instant at) {
            if (at == null) {
                return current();
            }
            OffsetDateTime time = at.atOffset(java.time.ZoneOffset.UTC);
            return validFrom.le(time).and(validTo.isNull().or(validTo.gt(time)));
        }
    }

    public static final class Organizations {
        public static final Table<Record> TABLE = table(name("organization_versions"));
        public static final Field<String> ID = field(name("organization_versions", "id"), String.class);
        public static final Field<String> SLUG = field(name("organization_versions", "slug"), String.class);
        public static final Field<String> NAME = field(name("organization_versions", "name"), String.class);
        public static final Field<String> STATUS = field(name("organization_versions", "status"), String.class);
        public static final Field<String> CREATED_BY = field(name("organization_versions", "created_by"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("organization_versions", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("organization_versions", "updated_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> ARCHIVED_AT = field(name("organization_versions", "archived_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("organization_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("organization_versions", "valid_from"), OffsetDateTime.class),
                field(name("organization_versions", "valid_to"), OffsetDateTime.class));

        private Organizations() {
        }
    }

    public static final class Memberships {
        public static final Table<Record> TABLE = table(name("membership_versions"));
        public static final Field<String> ORGANIZATION_ID = field(name("membership_versions", "organization_id"), String.class);
        public static final Field<String> USER_ID = field(name("membership_versions", "user_id"), String.class);
        public static final Field<String> ROLE = field(name("membership_versions", "role"), String.class);
        public static final Field<OffsetDateTime> JOINED_AT = field(name("membership_versions", "joined_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("membership_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("membership_versions", "valid_from"), OffsetDateTime.class),
                field(name("membership_versions", "valid_to"), OffsetDateTime.class));

        private Memberships() {
        }
    }

    public static final class Projects {
        public static final Table<Record> TABLE = table(name("project_versions"));
        public static final Field<String> ID = field(name("project_versions", "id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("project_versions", "organization_id"), String.class);
        public static final Field<String> NAME = field(name("project_versions", "name"), String.class);
        public static final Field<String> SLUG = field(name("project_versions", "slug"), String.class);
        public static final Field<String> SERVICE_KEY_HASH = field(name("project_versions", "service_key_hash"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("project_versions", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("project_versions", "updated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("project_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("project_versions", "valid_from"), OffsetDateTime.class),
                field(name("project_versions", "valid_to"), OffsetDateTime.class));

        private Projects() {
        }
    }

    public static final class Groups {
        public static final Table<Record> TABLE = table(name("group_versions"));
        public static final Field<String> ID = field(name("group_versions", "id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("group_versions", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("group_versions", "organization_id"), String.class);
        public static final Field<String> NAME = field(name("group_versions", "name"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("group_versions", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("group_versions", "updated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("group_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("group_versions", "valid_from"), OffsetDateTime.class),
                field(name("group_versions", "valid_to"), OffsetDateTime.class));

        private Groups() {
        }
    }

    public static final class ApiTokens {
        public static final Table<Record> TABLE = table(name("api_tokens"));
        public static final Field<String> ID = field(name("api_tokens", "id"), String.class);
        public static final Field<String> USER_ID = field(name("api_tokens", "user_id"), String.class);
        public static final Field<String> NAME = field(name("api_tokens", "name"), String.class);
        public static final Field<String[]> SCOPES = field(name("api_tokens", "scopes"), String[].class);
        public static final Field<String> ORGANIZATION_ID = field(name("api_tokens", "organization_id"), String.class);
        public static final Field<OffsetDateTime> EXPIRES_AT = field(name("api_tokens", "expires_at"), OffsetDateTime.class);
        public static final Field<String> TOKEN_HASH = field(name("api_tokens", "token_hash"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("api_tokens", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> REVOKED_AT = field(name("api_tokens", "revoked_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("api_tokens", "version"), Long.class);

        private ApiTokens() {
        }
    }

    public static final class Invitations {
        public static final Table<Record> TABLE = table(name("invitations"));
        public static final Field<String> TOKEN_HASH = field(name("invitations", "token_hash"), String.class);
        public static final Field<String> USER_ID = field(name("invitations", "user_id"), String.class);
        public static final Field<OffsetDateTime> EXPIRES_AT = field(name("invitations", "expires_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> ACCEPTED_AT = field(name("invitations", "accepted_at"), OffsetDateTime.class);

        private Invitations() {
        }
    }

    /** Invitations to join an organization. DDL: {@code V6_3__invitations.sql}. */
    public static final class MemberInvitations {
        public static final Table<Record> TABLE = table(name("member_invitations"));
        public static final Field<String> ID = field(name("member_invitations", "id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("member_invitations", "organization_id"), String.class);
        public static final Field<String> USER_ID = field(name("member_invitations", "user_id"), String.class);
        public static final Field<String> ROLE = field(name("member_invitations", "role"), String.class);
        public static final Field<String> INVITED_BY = field(name("member_invitations", "invited_by"), String.class);
        public static final Field<String> STATUS = field(name("member_invitations", "status"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("member_invitations", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> EXPIRES_AT = field(name("member_invitations", "expires_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> DECIDED_AT = field(name("member_invitations", "decided_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("member_invitations", "version"), Long.class);

        private MemberInvitations() {
        }
    }
}
