package dev.baserdb.api.backup;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.baserdb.query.backup.BackupRunView;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Response bodies of the backup routes (API.md §9). */
final class BackupResponses {

    private BackupResponses() {
    }

    @Schema(name = "BackupCut")
    record Cut(long position, Instant at) {
    }

    @Schema(name = "BackupRun")
    record Run(String id, String projectId, String status, Cut cut, Long eventCount, Long sizeBytes, String sha256,
               Instant startedAt, Instant finishedAt, String error, boolean scheduled, String restoredProjectId,
               String restoreStatus, String restoreError) {

        static Run of(BackupRunView view) {
            return new Run(view.id(), view.projectId(), view.status(), new Cut(view.cutPosition(), view.cutAt()),
                    view.eventCount(), view.sizeBytes(), view.sha256(), view.startedAt(), view.finishedAt(),
                    view.error(), view.scheduled(), view.restoredProjectId(), view.restoreStatus(),
                    view.restoreError());
        }
    }

    /** The answer to a restore into a new project: its id, and its service key (shown only here). */
    @Schema(name = "BackupRestoreStarted")
    record RestoreStarted(String runId, String projectId, String serviceKey) {
    }

    @Schema(name = "BackupSchedule")
    record Schedule(String cron, Integer retentionCount) {
    }

    @Schema(name = "InPlaceRestore")
    record InPlaceRestore(String projectId, Instant asOf, Map<String, Integer> restored,
                          List<PointInTimeRestore.Recreated> recreated,
                          List<PointInTimeRestore.NotRestored> notRestored) {

        static InPlaceRestore of(PointInTimeRestore.Outcome outcome) {
            return new InPlaceRestore(outcome.projectId(), outcome.asOf(), outcome.restored(), outcome.recreated(),
                    outcome.notRestored());
        }
    }
}
