package dev.baserdb.projection.backup;

import dev.baserdb.kernel.backup.BackupEvents.BackupArchiveDeleted;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreFailed;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreStarted;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreSucceeded;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunFailed;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunStarted;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunSucceeded;
import dev.baserdb.kernel.project.ProjectEvents.ProjectBackupScheduleSet;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.BACKUP_RUNS;
import static dev.baserdb.kernel.readmodel.schema.Tables.BACKUP_SCHEDULES;

/**
 * Backup runs and schedules, inline: a run is listed as soon as it is started, and a schedule read
 * back right after it is set. Each run row carries the aggregate version it was last written from,
 * so a replayed event changes nothing.
 */
@Component
@ProcessingGroup(BackupProjection.GROUP)
class BackupProjection {

    static final String GROUP = "backups";

    private final DSLContext db;

    BackupProjection(DSLContext db) {
        this.db = db;
    }

    @EventHandler
    void on(BackupRunStarted event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        db.insertInto(BACKUP_RUNS)
                .set(BACKUP_RUNS.ID, event.runId().value())
                .set(BACKUP_RUNS.PROJECT_ID, event.projectId().value())
                .set(BACKUP_RUNS.ORGANIZATION_ID, event.organizationId().value())
                .set(BACKUP_RUNS.STATUS, "running")
                .set(BACKUP_RUNS.CUT_POSITION, event.cutPosition())
                .set(BACKUP_RUNS.CUT_AT, utc(event.cutAt()))
                .set(BACKUP_RUNS.SCHEDULED, event.scheduled())
                .set(BACKUP_RUNS.STARTED_AT, utc(at))
                .set(BACKUP_RUNS.STARTED_BY_TYPE, meta(message, "actor_type"))
                .set(BACKUP_RUNS.STARTED_BY_ID, meta(message, "actor_id"))
                .set(BACKUP_RUNS.STARTED_BY_IMPERSONATOR_ID, meta(message, "impersonator_id"))
                .set(BACKUP_RUNS.VERSION, version)
                .onConflict(BACKUP_RUNS.ID).doNothing()
                .execute();
    }

    @EventHandler
    void on(BackupRunSucceeded event, @SequenceNumber long version, @Timestamp Instant at) {
        change(event.runId().value(), version, Map.of(BACKUP_RUNS.STATUS, "succeeded", BACKUP_RUNS.EVENT_COUNT,
                event.eventCount(),
                BACKUP_RUNS.SIZE_BYTES, event.sizeBytes(), BACKUP_RUNS.SHA256, event.sha256(), BACKUP_RUNS.FINISHED_AT, utc(at)));
    }

    @EventHandler
    void on(BackupRunFailed event, @SequenceNumber long version, @Timestamp Instant at) {
        change(event.runId().value(), version, Map.of(BACKUP_RUNS.STATUS, "failed", BACKUP_RUNS.ERROR, event.error(),
                BACKUP_RUNS.FINISHED_AT, utc(at)));
    }

    @EventHandler
    void on(BackupRestoreStarted event, @SequenceNumber long version) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(BACKUP_RUNS.RESTORED_PROJECT_ID, event.restoredProjectId().value());
        values.put(BACKUP_RUNS.RESTORE_STATUS, "running");
        values.put(BACKUP_RUNS.RESTORE_ERROR, null);
        change(event.runId().value(), version, values);
    }

    @EventHandler
    void on(BackupRestoreSucceeded event, @SequenceNumber long version) {
        change(event.runId().value(), version, Map.of(BACKUP_RUNS.RESTORE_STATUS, "succeeded"));
    }

    @EventHandler
    void on(BackupRestoreFailed event, @SequenceNumber long version) {
        change(event.runId().value(), version, Map.of(BACKUP_RUNS.RESTORE_STATUS, "failed", BACKUP_RUNS.RESTORE_ERROR,
                event.error()));
    }

    @EventHandler
    void on(BackupArchiveDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        change(event.runId().value(), version, Map.of(BACKUP_RUNS.ARCHIVE_DELETED_AT, utc(at)));
    }

    @EventHandler
    void on(ProjectBackupScheduleSet event, @Timestamp Instant at) {
        if (event.cron() == null) {
            db.deleteFrom(BACKUP_SCHEDULES).where(BACKUP_SCHEDULES.PROJECT_ID.eq(event.projectId().value())).execute();
            return;
        }
        db.insertInto(BACKUP_SCHEDULES)
                .set(BACKUP_SCHEDULES.PROJECT_ID, event.projectId().value())
                .set(BACKUP_SCHEDULES.ORGANIZATION_ID, event.organizationId().value())
                .set(BACKUP_SCHEDULES.CRON, event.cron())
                .set(BACKUP_SCHEDULES.RETENTION_COUNT, event.retentionCount())
                .set(BACKUP_SCHEDULES.UPDATED_AT, utc(at))
                .onConflict(BACKUP_SCHEDULES.PROJECT_ID).doUpdate()
                .set(BACKUP_SCHEDULES.CRON, event.cron())
                .set(BACKUP_SCHEDULES.RETENTION_COUNT, event.retentionCount())
                .set(BACKUP_SCHEDULES.UPDATED_AT, utc(at))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(BACKUP_RUNS).execute();
        db.deleteFrom(BACKUP_SCHEDULES).execute();
    }

    private void change(String runId, long version, Map<Field<?>, Object> values) {
        db.update(BACKUP_RUNS).set(values).set(BACKUP_RUNS.VERSION, version)
                .where(BACKUP_RUNS.ID.eq(runId)).and(BACKUP_RUNS.VERSION.lt(version))
                .execute();
    }

    private static String meta(EventMessage<?> message, String key) {
        Object value = message.getMetaData().get(key);
        return value == null ? null : value.toString();
    }
}
