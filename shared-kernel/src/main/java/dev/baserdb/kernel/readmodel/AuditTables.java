package dev.baserdb.kernel.readmodel;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;
import java.util.Arrays;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * The audit trail's tables as jOOQ names. DDL: {@code V4_0__audit.sql} and
 * {@code V6_1__audit_checkpoints.sql} of the projections module.
 */
public final class AuditTables {

    private AuditTables() {
    }

    public static final class Entries {
        public static final Table<Record> TABLE = table(name("audit_entries"));
        public static final Field<Long> SEQUENCE = field(name("audit_entries", "sequence"), Long.class);
        public static final Field<String> ID = field(name("audit_entries", "id"), String.class);
        public static final Field<Long> GLOBAL_INDEX = field(name("audit_entries", "global_index"), Long.class);
        public static final Field<OffsetDateTime> OCCURRED_AT = field(name("audit_entries", "occurred_at"), OffsetDateTime.class);
        public static final Field<String> ORGANIZATION_ID = field(name("audit_entries", "organization_id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("audit_entries", "project_id"), String.class);
        public static final Field<String> ACTOR_TYPE = field(name("audit_entries", "actor_type"), String.class);
        public static final Field<String> ACTOR_ID = field(name("audit_entries", "actor_id"), String.class);
        public static final Field<String> IMPERSONATOR_ID = field(name("audit_entries", "impersonator_id"), String.class);
        public static final Field<String> ACTION = field(name("audit_entries", "action"), String.class);
        public static final Field<String> RESOURCE_TYPE = field(name("audit_entries", "resource_type"), String.class);
        public static final Field<String> RESOURCE_ID = field(name("audit_entries", "resource_id"), String.class);
        public static final Field<String> REQUEST_ID = field(name("audit_entries", "request_id"), String.class);
        public static final Field<String> IP = field(name("audit_entries", "ip"), String.class);
        public static final Field<String> USER_AGENT = field(name("audit_entries", "user_agent"), String.class);
        public static final Field<String> CHANGES = field(name("audit_entries", "changes"), String.class);
        public static final Field<String> PREV_HASH = field(name("audit_entries", "prev_hash"), String.class);
        public static final Field<String> HASH = field(name("audit_entries", "hash"), String.class);

        private Entries() {
        }
    }

    /** Signed checkpoints of the trail, and the key that signs them. */
    public static final class Checkpoints {
        public static final Table<Record> TABLE = table(name("audit_checkpoints"));
        public static final Field<Long> ID = field(name("audit_checkpoints", "id"), Long.class);
        public static final Field<Long> POSITION = field(name("audit_checkpoints", "position"), Long.class);
        public static final Field<Long> COUNT = field(name("audit_checkpoints", "count"), Long.class);
        public static final Field<String> HEAD_HASH = field(name("audit_checkpoints", "head_hash"), String.class);
        public static final Field<OffsetDateTime> AT = field(name("audit_checkpoints", "at"), OffsetDateTime.class);
        public static final Field<String> KID = field(name("audit_checkpoints", "kid"), String.class);
        public static final Field<String> SIGNATURE = field(name("audit_checkpoints", "signature"), String.class);

        public static final Table<Record> KEYS = table(name("audit_checkpoint_keys"));
        public static final Field<String> KEY_KID = field(name("audit_checkpoint_keys", "kid"), String.class);
        public static final Field<String> KEY_PUBLIC_JWK = field(name("audit_checkpoint_keys", "public_jwk"), String.class);
        public static final Field<byte[]> KEY_SEALED_PRIVATE_JWK =
                field(name("audit_checkpoint_keys", "sealed_private_jwk"), byte[].class);
        public static final Field<OffsetDateTime> KEY_CREATED_AT =
                field(name("audit_checkpoint_keys", "created_at"), OffsetDateTime.class);

        private Checkpoints() {
        }
    }

    /** Entries held back from the chain while a gap below them may still fill ({@code V11_0__audit_order.sql}). */
    public static final class Pending {
        public static final Table<Record> TABLE = table(name("audit_pending"));
        public static final Field<Long> GLOBAL_INDEX = field(name("audit_pending", "global_index"), Long.class);
        /** The entry's columns, as in {@link Entries} less the chain's, in this order (read by position). */
        public static final Field<?>[] COLUMNS = Arrays.stream(new Field<?>[]{Entries.ID,
                        Entries.GLOBAL_INDEX, Entries.OCCURRED_AT, Entries.ORGANIZATION_ID, Entries.PROJECT_ID,
                        Entries.ACTOR_TYPE, Entries.ACTOR_ID, Entries.IMPERSONATOR_ID, Entries.ACTION,
                        Entries.RESOURCE_TYPE, Entries.RESOURCE_ID, Entries.REQUEST_ID, Entries.IP, Entries.USER_AGENT,
                        Entries.CHANGES})
                .map(column -> field(name("audit_pending", column.getName()), column.getType()))
                .toArray(Field<?>[]::new);

        private Pending() {
        }
    }
}
