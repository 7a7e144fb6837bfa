package dev.baserdb.query.backup;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.BackupTables.Runs;
import static dev.baserdb.kernel.readmodel.BackupTables.Schedules;

/** Reads backup runs and schedules. A run whose archive retention deleted is no longer found. */
@Component
public class BackupDirectory {

    private final DSLContext db;

    public BackupDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<BackupRunView> find(String runId) {
        return db.selectFrom(Runs.TABLE).where(Runs.ID.eq(runId)).and(Runs.ARCHIVE_DELETED_AT.isNull())
                .fetchOptional().map(BackupDirectory::view);
    }

    /** The project's runs, newest first. */
    public Page<BackupRunView> runsOf(String projectId, PageRequest page) {
        var where = Runs.PROJECT_ID.eq(projectId).and(Runs.ARCHIVE_DELETED_AT.isNull());
        long total = db.fetchCount(Runs.TABLE, where);
        List<BackupRunView> items = db.selectFrom(Runs.TABLE).where(where)
                .orderBy(Runs.STARTED_AT.desc(), Runs.ID.desc())
                .limit(page.limit()).offset(page.offset())
                .fetch(BackupDirectory::view);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** The project's finished runs whose archives are still kept, newest first (for retention). */
    public List<String> finishedRunsOf(String projectId) {
        return db.select(Runs.ID).from(Runs.TABLE)
                .where(Runs.PROJECT_ID.eq(projectId)).and(Runs.ARCHIVE_DELETED_AT.isNull())
                .and(Runs.STATUS.ne("running")).and(Runs.RESTORE_STATUS.isDistinctFrom("running"))
                .orderBy(Runs.STARTED_AT.desc(), Runs.ID.desc())
                .fetch(Runs.ID);
    }

    public Optional<BackupScheduleView> schedule(String projectId) {
        return db.selectFrom(Schedules.TABLE).where(Schedules.PROJECT_ID.eq(projectId)).fetchOptional()
                .map(r -> new BackupScheduleView(r.get(Schedules.PROJECT_ID), r.get(Schedules.CRON),
                        r.get(Schedules.RETENTION_COUNT)));
    }

    private static BackupRunView view(Record r) {
        return new BackupRunView(r.get(Runs.ID), r.get(Runs.PROJECT_ID), r.get(Runs.ORGANIZATION_ID),
                r.get(Runs.STATUS), r.get(Runs.CUT_POSITION), instant(r.get(Runs.CUT_AT)), r.get(Runs.SCHEDULED),
                r.get(Runs.EVENT_COUNT), r.get(Runs.SIZE_BYTES), r.get(Runs.SHA256), r.get(Runs.ERROR),
                instant(r.get(Runs.STARTED_AT)), instant(r.get(Runs.FINISHED_AT)), r.get(Runs.STARTED_BY_TYPE),
                r.get(Runs.STARTED_BY_ID), r.get(Runs.STARTED_BY_IMPERSONATOR_ID), r.get(Runs.RESTORED_PROJECT_ID), r.get(Runs.RESTORE_STATUS),
                r.get(Runs.RESTORE_ERROR));
    }

    private static java.time.Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
