package dev.baserdb.query.backup;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.schema.Tables.BACKUP_RUNS;
import static dev.baserdb.kernel.readmodel.schema.Tables.BACKUP_SCHEDULES;


/** Reads backup runs and schedules. A run whose archive retention deleted is no longer found. */
@Component
public class BackupDirectory {

    private final DSLContext db;

    public BackupDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<BackupRunView> find(String runId) {
        return db.selectFrom(BACKUP_RUNS).where(BACKUP_RUNS.ID.eq(runId)).and(BACKUP_RUNS.ARCHIVE_DELETED_AT.isNull())
                .fetchOptional().map(BackupDirectory::view);
    }

    /** The project's runs, newest first. */
    public Page<BackupRunView> runsOf(String projectId, PageRequest page) {
        var where = BACKUP_RUNS.PROJECT_ID.eq(projectId).and(BACKUP_RUNS.ARCHIVE_DELETED_AT.isNull());
        long total = db.fetchCount(BACKUP_RUNS, where);
        List<BackupRunView> items = db.selectFrom(BACKUP_RUNS).where(where)
                .orderBy(BACKUP_RUNS.STARTED_AT.desc(), BACKUP_RUNS.ID.desc())
                .limit(page.limit()).offset(page.offset())
                .fetch(BackupDirectory::view);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** The project's finished runs whose archives are still kept, newest first (for retention). */
    public List<String> finishedRunsOf(String projectId) {
        return db.select(BACKUP_RUNS.ID).from(BACKUP_RUNS)
                .where(BACKUP_RUNS.PROJECT_ID.eq(projectId)).and(BACKUP_RUNS.ARCHIVE_DELETED_AT.isNull())
                .and(BACKUP_RUNS.STATUS.ne("running")).and(BACKUP_RUNS.RESTORE_STATUS.isDistinctFrom("running"))
                .orderBy(BACKUP_RUNS.STARTED_AT.desc(), BACKUP_RUNS.ID.desc())
                .fetch(BACKUP_RUNS.ID);
    }

    public Optional<BackupScheduleView> schedule(String projectId) {
        return db.selectFrom(BACKUP_SCHEDULES).where(BACKUP_SCHEDULES.PROJECT_ID.eq(projectId)).fetchOptional()
                .map(r -> new BackupScheduleView(r.get(BACKUP_SCHEDULES.PROJECT_ID), r.get(BACKUP_SCHEDULES.CRON),
                        r.get(BACKUP_SCHEDULES.RETENTION_COUNT)));
    }

    private static BackupRunView view(Record r) {
        return new BackupRunView(r.get(BACKUP_RUNS.ID), r.get(BACKUP_RUNS.PROJECT_ID), r.get(BACKUP_RUNS.ORGANIZATION_ID),
                r.get(BACKUP_RUNS.STATUS), r.get(BACKUP_RUNS.CUT_POSITION), instant(r.get(BACKUP_RUNS.CUT_AT)),
                r.get(BACKUP_RUNS.SCHEDULED),
                r.get(BACKUP_RUNS.EVENT_COUNT), r.get(BACKUP_RUNS.SIZE_BYTES), r.get(BACKUP_RUNS.SHA256),
                r.get(BACKUP_RUNS.ERROR),
                instant(r.get(BACKUP_RUNS.STARTED_AT)), instant(r.get(BACKUP_RUNS.FINISHED_AT)),
                r.get(BACKUP_RUNS.STARTED_BY_TYPE),
                r.get(BACKUP_RUNS.STARTED_BY_ID), r.get(BACKUP_RUNS.STARTED_BY_IMPERSONATOR_ID),
                r.get(BACKUP_RUNS.RESTORED_PROJECT_ID), r.get(BACKUP_RUNS.RESTORE_STATUS),
                r.get(BACKUP_RUNS.RESTORE_ERROR));
    }

    private static java.time.Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
