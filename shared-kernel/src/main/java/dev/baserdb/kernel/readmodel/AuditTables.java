package dev.baserdb.kernel.readmodel;

import org.jooq.Field;

import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_PENDING;

/**
 * What the audit trail's generated tables ({@code AUDIT_ENTRIES}, {@code AUDIT_PENDING},
 * {@code AUDIT_CHECKPOINTS} of {@link dev.baserdb.kernel.readmodel.schema.Tables}) do not say.
 */
public final class AuditTables {

    private AuditTables() {
    }

    /** Entries held back from the chain while a gap below them may still fill ({@code V11_0__audit_order.sql}). */
    public static final class Pending {
        /**
         * The entry's columns, as in {@code AUDIT_ENTRIES} less the chain's, in this order (read by
         * position); not {@code appenders}, which only the database writes.
         */
        public static final Field<?>[] COLUMNS = {AUDIT_PENDING.ID, AUDIT_PENDING.GLOBAL_INDEX,
                AUDIT_PENDING.OCCURRED_AT, AUDIT_PENDING.ORGANIZATION_ID, AUDIT_PENDING.PROJECT_ID,
                AUDIT_PENDING.ACTOR_TYPE, AUDIT_PENDING.ACTOR_ID, AUDIT_PENDING.IMPERSONATOR_ID, AUDIT_PENDING.ACTION,
                AUDIT_PENDING.RESOURCE_TYPE, AUDIT_PENDING.RESOURCE_ID, AUDIT_PENDING.REQUEST_ID, AUDIT_PENDING.IP,
                AUDIT_PENDING.USER_AGENT, AUDIT_PENDING.CHANGES};

        private Pending() {
        }
    }
}
