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

import static dev.baserdb.kernel.readmodel.BackupTables.Runs;
import static dev.baserdb.kernel.readmodel.BackupTables.Schedules;
import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;

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
        db.insertInto(Runs.TABLE)
                .set(Runs.ID, event.runId().value())
                .set(Runs.PROJECT_ID, event.projectId().value())
                .set(Runs.ORGANIZATION_ID, event.organizationId().value())
                .set(Runs.STATUS, "running")
                .set(Runs.CUT_POSITION, event.cutPosition())
                .set(Runs.CUT_AT, utc(event.cutAt()))
                .set(Runs.SCHEDULED, event.scheduled())
                .set(Runs.STARTED_AT, utc(at))
                .set(Runs.STARTED_BY_TYPE, meta(message, "actor_type"))
                .set(Runs.STARTED_BY_ID, meta(message, "actor_id"))
                .set(Runs.STARTED_BY_IMPERSONATOR_ID, meta(message, "impersonator_id"))
                .set(Runs.VERSION, version)
                .onConflict(Runs.ID).doNothing()
                .execute();
    }

    @EventHandler
    void on(BackupRunSucceeded event, @SequenceNumber long version, @Timestamp Instant at) {
        change(event.runId().value(), version, Map.of(Runs.STATUS, "succeeded", Runs.EVENT_COUNT, event.eventCount(),
                Runs.SIZE_BYTES, event.sizeBytes(), Runs.SHA256, event.sha256(), Runs.FINISHED_AT, utc(at)));
    }

    @EventHandler
    void on(BackupRunFailed event, @SequenceNumber long version, @Timestamp Instant at) {
        change(event.runId().value(), version, Map.of(Runs.STATUS, "failed", Runs.ERROR, event.error(),
                Runs.FINISHED_AT, utc(at)));
    }

    @EventHandler
    void on(BackupRestoreStarted event, @SequenceNumber long version) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(Runs.RESTORED_PROJECT_ID, event.restoredProjectId().value());
        values.put(Runs.RESTORE_STATUS, "running");
        values.put(Runs.RESTORE_ERROR, null);
        change(event.runId().value(), version, values);
    }

    @EventHandler
    void on(BackupRestoreSucceeded event, @SequenceNumber long version) {
        change(event.runId().value(), version, Map.of(Runs.RESTORE_STATUS, "succeeded"));
    }

    @EventHandler
    void on(BackupRestoreFailed event, @SequenceNumber long version) {
        change(event.runId().value(), version, Map.of(Runs.RESTORE_STATUS, "failed", Runs.RESTORE_ERROR, event.error()));
    }

    @EventHandler
    void on(BackupArchiveDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        change(event.runId().value(), version, Map.of(Runs.ARCHIVE_DELETED_AT, utc(at)));
    }

    @EventHandler
    void on(ProjectBackupScheduleSet event, @Timestamp Instant at) {
        if (event.cron() == null) {
            db.deleteFrom(Schedules.TABLE).where(Schedules.PROJECT_ID.eq(event.projectId().value())).execute();
            return;
        }
        db.insertInto(Schedules.TABLE)
                .set(Schedules.PROJECT_ID, event.projectId().value())
                .set(Schedules.ORGANIZATION_ID, event.organizationId().value())
                .set(Schedules.CRON, event.cron())
                .set(Schedules.RETENTION_COUNT, event.retentionCount())
                .set(Schedules.UPDATED_AT, utc(at))
                .onConflict(Schedules.PROJECT_ID).doUpdate()
                .set(Schedules.CRON, event.cron())
                .set(Schedules.RETENTION_COUNT, event.retentionCount())
                .set(Schedules.UPDATED_AT, utc(at))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(Runs.TABLE).execute();
        db.deleteFrom(Schedules.TABLE).execute();
    }

    private void change(String runId, long version, Map<Field<?>, Object> values) {
        db.update(Runs.TABLE).set(values).set(Runs.VERSION, version)
                .where(Runs.ID.eq(runId)).and(Runs.VERSION.lt(version))
                .execute();
    }

    private static String meta(EventMessage<?> message, String key) {
        Object value = message.getMetaData().get(key);
        return value == null ? null : value.toString();
    }
}
