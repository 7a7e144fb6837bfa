package dev.baserdb.kernel.readmodel;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The backup read models as jOOQ names. DDL: {@code V6_5__backups.sql} of the projections module. */
public final class BackupTables {

    private BackupTables() {
    }

    public static final class Runs {
        public static final Table<Record> TABLE = table(name("backup_runs"));
        public static final Field<String> ID = field(name("backup_runs", "id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("backup_runs", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("backup_runs", "organization_id"), String.class);
        public static final Field<String> STATUS = field(name("backup_runs", "status"), String.class);
        public static final Field<Long> CUT_POSITION = field(name("backup_runs", "cut_position"), Long.class);
        public static final Field<OffsetDateTime> CUT_AT = field(name("backup_runs", "cut_at"), OffsetDateTime.class);
        public static final Field<Boolean> SCHEDULED = field(name("backup_runs", "scheduled"), Boolean.class);
        public static final Field<Long> EVENT_COUNT = field(name("backup_runs", "event_count"), Long.class);
        public static final Field<Long> SIZE_BYTES = field(name("backup_runs", "size_bytes"), Long.class);
        public static final Field<String> SHA256 = field(name("backup_runs", "sha256"), String.class);
        public static final Field<String> ERROR = field(name("backup_runs", "error"), String.class);
        public static final Field<OffsetDateTime> STARTED_AT = field(name("backup_runs", "started_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> FINISHED_AT = field(name("backup_runs", "finished_at"), OffsetDateTime.class);
        public static final Field<String> STARTED_BY_TYPE = field(name("backup_runs", "started_by_type"), String.class);
        public static final Field<String> STARTED_BY_ID = field(name("backup_runs", "started_by_id"), String.class);
        public static final Field<String> STARTED_BY_IMPERSONATOR_ID =
                field(name("backup_runs", "started_by_impersonator_id"), String.class);
        public static final Field<String> RESTORED_PROJECT_ID = field(name("backup_runs", "restored_project_id"), String.class);
        public static final Field<String> RESTORE_STATUS = field(name("backup_runs", "restore_status"), String.class);
        public static final Field<String> RESTORE_ERROR = field(name("backup_runs", "restore_error"), String.class);
        public static final Field<OffsetDateTime> ARCHIVE_DELETED_AT = field(name("backup_runs", "archive_deleted_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("backup_runs", "version"), Long.class);

        private Runs() {
        }
    }

    public static final class Schedules {
        public static final Table<Record> TABLE = table(name("backup_schedules"));
        public static final Field<String> PROJECT_ID = field(name("backup_schedules", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("backup_schedules", "organization_id"), String.class);
        public static final Field<String> CRON = field(name("backup_schedules", "cron"), String.class);
        public static final Field<Integer> RETENTION_COUNT = field(name("backup_schedules", "retention_count"), Integer.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("backup_schedules", "updated_at"), OffsetDateTime.class);

        private Schedules() {
        }
    }
}
